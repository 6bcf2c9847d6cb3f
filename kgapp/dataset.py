"""The dataset policy: which graphs a query sees. The endpoint, the pages and the CLI all ask here.

In order, the first that applies wins:

1. the protocol's ``default-graph-uri``/``named-graph-uri`` parameters (SPARQL 1.1 Protocol
   §2.1.4: they override the query's own dataset clauses);
2. the query's ``FROM``/``FROM NAMED`` clauses, read by the engine;
3. the endpoint's default dataset: the default graph is every asserted triple but the shapes,
   once each, plus — unless inferences are switched off — the inferred ones; every named graph
   of the build is available to ``GRAPH``.

The build writes the default graph with inferences as the store's own default graph, and the
one without them as a hidden graph (see :func:`kgapp.store.write_store`), so the common case
passes the engine nothing at all: a single graph is the fastest to query. The hidden graph is
kept out of ``GRAPH`` by listing the named graphs whenever a query could use ``GRAPH``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kgapp.querytext import may_use_named_graphs, names_dataset


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


def engine_arguments(
    request: DatasetRequest, query: str, graphs: Sequence[str], asserted_graph: str
) -> dict[str, Any]:
    """pyoxigraph's ``default_graph``/``named_graphs`` arguments for ``query``.

    ``graphs`` are the named graphs of the build; ``asserted_graph`` is the hidden graph that
    holds the default graph without inferences.
    """
    if request.names_dataset:
        return {
            "default_graph": [ox.NamedNode(g) for g in request.default_graphs],
            "named_graphs": [ox.NamedNode(g) for g in request.named_graphs],
        }
    if names_dataset(query):
        return {}
    arguments: dict[str, Any] = {}
    if not request.inference:
        arguments["default_graph"] = ox.NamedNode(asserted_graph)
    if not request.inference or may_use_named_graphs(query):
        arguments["named_graphs"] = [ox.NamedNode(g) for g in graphs]
    return arguments
