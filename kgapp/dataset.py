"""The dataset policy: which graphs a query sees. The endpoint, the pages and the CLI all ask here.

In order, the first that applies wins:

1. the protocol's ``default-graph-uri``/``named-graph-uri`` parameters (SPARQL 1.1 Protocol
   §2.1.4: they override the query's own dataset clauses);
2. the query's ``FROM``/``FROM NAMED`` clauses, read by the engine;
3. the endpoint's default dataset: the store's default graph (every asserted triple but the
   shapes, once each) plus, unless inferences are switched off, the inferred graph, with every
   named graph of the build available to ``GRAPH``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kgapp.querytext import dataset_clauses


@dataclass(frozen=True)
class DatasetRequest:
    """What a request says about the dataset: the protocol's graph parameters, the inference switch."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    inference: bool = True

    @property
    def names_dataset(self) -> bool:
        """True when ``default-graph-uri`` or ``named-graph-uri`` was given."""
        return bool(self.default_graphs or self.named_graphs)


DEFAULT_DATASET = DatasetRequest()


def engine_arguments(request: DatasetRequest, query: str, inferred_graph: str) -> dict[str, Any]:
    """pyoxigraph's ``default_graph``/``named_graphs`` arguments for ``query``.

    ``inferred_graph`` is the graph that joins the default graph when inferences are on. The
    store holds the build's named graphs only, so "every named graph" is the engine's own
    default for ``GRAPH`` (naming them all explicitly would make such queries slower).
    """
    if request.names_dataset:
        return {
            "default_graph": [ox.NamedNode(g) for g in request.default_graphs],
            "named_graphs": [ox.NamedNode(g) for g in request.named_graphs],
        }
    if any(dataset_clauses(query)):
        return {}
    default: list[ox.NamedNode | ox.DefaultGraph] = [ox.DefaultGraph()]
    if request.inference:
        default.append(ox.NamedNode(inferred_graph))
    return {"default_graph": default}
