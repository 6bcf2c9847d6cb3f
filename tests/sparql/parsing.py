"""Independent parsers (rdflib) for every format the endpoint answers in."""

from __future__ import annotations

import io
import json

from rdflib import Dataset, Graph
from rdflib.query import Result

RESULT_SYNTAX = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_SYNTAX = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}
DATASET_SYNTAXES = {"trig", "nquads", "json-ld"}


def media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def parse_results(body: bytes, content_type: str) -> Result:
    """A SELECT or ASK answer parsed by rdflib's result parser for its Content-Type."""
    syntax = RESULT_SYNTAX[media_type(content_type)]
    if syntax == "json":
        json.loads(body)  # strict JSON first
    source = io.StringIO(body.decode("utf-8")) if syntax in {"csv", "tsv"} else io.BytesIO(body)
    return Result.parse(source, format=syntax)


def parse_graph(body: bytes, content_type: str) -> Graph:
    """A CONSTRUCT/DESCRIBE answer (or a description) parsed by rdflib for its Content-Type."""
    syntax = GRAPH_SYNTAX[media_type(content_type)]
    if syntax in DATASET_SYNTAXES:
        dataset = Dataset()
        dataset.parse(data=body, format=syntax)
        graph = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    graph = Graph()
    graph.parse(data=body, format=syntax)
    return graph
