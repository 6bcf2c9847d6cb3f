"""rdflib-endpoint on the same data: rdflib's own SPARQL engine behind a FastAPI endpoint.

Run by uvicorn with the N-Quads dump named in KGBENCH_DUMP; the default graph is the union of
the named graphs, as on the other peers."""

from __future__ import annotations

import os

from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint

dataset = Dataset(default_union=True)
dataset.parse(os.environ["KGBENCH_DUMP"], format="nquads")
app = SparqlEndpoint(graph=dataset, cors_enabled=False)
