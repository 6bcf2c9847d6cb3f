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

A remote store's own default graph is not ours to choose (Virtuoso, GraphDB and QLever make it
the union of everything they hold), so there the default graph is always named: the copy of
the union the build writes (``union_graph``), and the named graphs are always listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from kgapp.querytext import QueryText, shape


@dataclass(frozen=True)
class DatasetRequest:
    """What a request says about the dataset: the protocol's graph parameters, the inference switch."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    inference: bool = True
    # A page's own query about one thing: ``GRAPH`` may match any graph the store holds, the
    # hidden ones too, and the caller drops their rows. Naming every graph instead costs what
    # the number of graphs does (thousands in a large graph), for every ``GRAPH`` pattern.
    every_graph: bool = False

    @property
    def names_dataset(self) -> bool:
        """True when ``default-graph-uri`` or ``named-graph-uri`` was given."""
        return bool(self.default_graphs or self.named_graphs)


DEFAULT_DATASET = DatasetRequest()
EVERY_GRAPH = DatasetRequest(every_graph=True)


@dataclass(frozen=True)
class GraphSelection:
    """The graphs a query runs on; None leaves that part to the store (or the query's FROM)."""

    default: tuple[str, ...] | None = None
    named: tuple[str, ...] | None = None


def select_graphs(
    request: DatasetRequest,
    query: str | QueryText,
    graphs: Sequence[str],
    asserted_graph: str,
    union_graph: str | None = None,
) -> GraphSelection:
    """The graphs ``query`` sees (its text, or what was read of it once). ``graphs`` are the
    named graphs of the build; ``asserted_graph`` holds the default graph without inferences;
    ``union_graph``, when given, holds it with them (else the store's own default graph does)."""
    if request.names_dataset:
        return GraphSelection(request.default_graphs, request.named_graphs)
    text = shape(query) if isinstance(query, str) else query
    if text.names_dataset:
        return GraphSelection()
    default = (union_graph,) if union_graph and request.inference else None
    if not request.inference:
        default = (asserted_graph,)
    named = tuple(graphs) if union_graph or not request.inference or text.may_use_graph else None
    if request.every_graph and not union_graph:
        named = None
    return GraphSelection(default, named)


def engine_arguments(selection: GraphSelection) -> dict[str, Any]:
    """pyoxigraph's ``default_graph``/``named_graphs`` arguments for a selection."""
    arguments: dict[str, Any] = {}
    if selection.default is not None:
        arguments["default_graph"] = _nodes(tuple(selection.default))
    if selection.named is not None:
        arguments["named_graphs"] = _nodes(tuple(selection.named))
    return arguments


@lru_cache(maxsize=16)
def _nodes(names: tuple[str, ...]) -> list[ox.NamedNode]:
    """The graphs as pyoxigraph terms, made once per list: a version's named graphs (one per
    source document, thousands in a large graph) are the same list for every query on it."""
    return [ox.NamedNode(g) for g in names]
