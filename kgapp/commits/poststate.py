"""The data as a commit will leave it, read from the store with the change on top: what the
scoped validation walks and validates, and where a report finds the files that say things.
Lookups only: the cost follows what is asked, not the graph."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pyoxigraph as ox
from rdflib.term import Node

from kgapp.commits.change import Change
from kgapp.loader import blank_node_prefix
from kgapp.namespaces import Namespaces
from kgapp.rdflibterms import to_ox
from kgapp.rdfterms import OxTerm


def is_data_graph(graph: str, namespaces: Namespaces) -> bool:
    """The graphs SHACL validates: the registry and every source graph."""
    return graph == namespaces.entities_graph or namespaces.is_source_graph(graph)


@dataclass
class PostState:
    """The data as it will be after ``change``: the store (as it is) with the change on top.
    Lookups only: the cost follows what is asked, not the graph."""

    store: ox.Store
    change: Change
    namespaces: Namespaces
    _added_by_subject: dict[OxTerm, list[tuple[str, ox.Triple]]] = field(default_factory=dict)
    _added_by_object: dict[OxTerm, list[ox.Triple]] = field(default_factory=dict)
    _data_graphs: dict[Any, str | None] = field(default_factory=dict)  # graph → its IRI if data
    # the change to the asserted union, when known: a node's triples are then read from the
    # store's asserted graph (each once) rather than from every graph that holds them
    union_delta: tuple[set[ox.Triple], set[ox.Triple]] | None = None
    _gained_by_subject: dict[OxTerm, list[ox.Triple]] = field(default_factory=dict)
    _union_triples_of: dict[OxTerm, set[ox.Triple]] = field(default_factory=dict)  # asked before

    def __post_init__(self) -> None:
        for graph, triples in self.change.added.items():
            for t in triples:
                self._added_by_subject.setdefault(t.subject, []).append((graph, t))  # type: ignore[arg-type]
                self._added_by_object.setdefault(t.object, []).append(t)  # type: ignore[arg-type]
        for t in self.union_delta[1] if self.union_delta is not None else ():
            self._gained_by_subject.setdefault(t.subject, []).append(t)  # type: ignore[arg-type]

    def _stored_data(self, subject: Any, predicate: ox.NamedNode | None) -> set[ox.Triple]:
        """The store's triples matching the pattern in the data graphs, less the removed ones."""
        removed, known = self.change.removed, self._data_graphs
        found = set()
        for quad in self.store.quads_for_pattern(subject, predicate, None, None):
            holder = quad.graph_name
            if holder not in known:
                data = isinstance(holder, ox.NamedNode) and is_data_graph(holder.value, self.namespaces)
                known[holder] = holder.value if data else None  # type: ignore[union-attr]
            graph = known[holder]
            if graph is not None:
                triple = ox.Triple(quad.subject, quad.predicate, quad.object)
                if triple not in removed.get(graph, ()):
                    found.add(triple)
        return found

    def data_triples_of(self, subject: OxTerm) -> set[ox.Triple]:
        """The triples with this subject in the data graphs, afterwards."""
        if isinstance(subject, ox.Literal):
            return set()
        if self.union_delta is not None:
            known = self._union_triples_of.get(subject)
            if known is None:
                lost, _gained = self.union_delta
                stored = self.store.quads_for_pattern(subject, None, None, self._asserted)
                known = {ox.Triple(q.subject, q.predicate, q.object) for q in stored} - lost
                known.update(self._gained_by_subject.get(subject, ()))
                self._union_triples_of[subject] = known
            return set(known)
        ns = self.namespaces
        found = self._stored_data(subject, None)
        found.update(t for g, t in self._added_by_subject.get(subject, ()) if is_data_graph(g, ns))
        return found

    def data_triples_with(self, predicate: str) -> set[ox.Triple]:
        ns = self.namespaces
        found = self._stored_data(None, ox.NamedNode(predicate))
        for graph, triples in self.change.added.items():
            if is_data_graph(graph, ns):
                found.update(t for t in triples if t.predicate.value == predicate)
        return found

    def all_data_triples(self) -> set[ox.Triple]:
        ns = self.namespaces
        found = self._stored_data(None, None)
        for graph, triples in self.change.added.items():
            if is_data_graph(graph, ns):
                found.update(triples)
        return found

    # Walking: the asserted triples before and after (a superset of either) -------------------
    @cached_property
    def _asserted(self) -> ox.NamedNode:
        return ox.NamedNode(self.namespaces.asserted_graph)

    def out_edges(self, node: OxTerm, predicate: str | None = None) -> Iterator[tuple[str, OxTerm]]:
        """The triples from ``node`` (with ``predicate`` only, when given), before or after."""
        if isinstance(node, ox.Literal):
            return
        wanted = ox.NamedNode(predicate) if predicate is not None else None
        for quad in self.store.quads_for_pattern(node, wanted, None, self._asserted):
            yield quad.predicate.value, quad.object  # type: ignore[misc]
        for _g, t in self._added_by_subject.get(node, ()):
            if predicate is None or t.predicate.value == predicate:
                yield t.predicate.value, t.object  # type: ignore[misc]

    def in_edges(self, node: OxTerm, predicate: str | None = None) -> Iterator[tuple[str, OxTerm]]:
        """The triples to ``node`` (with ``predicate`` only, when given), before or after."""
        wanted = ox.NamedNode(predicate) if predicate is not None else None
        for quad in self.store.quads_for_pattern(None, wanted, node, self._asserted):
            yield quad.predicate.value, quad.subject  # type: ignore[misc]
        for t in self._added_by_object.get(node, ()):
            if predicate is None or t.predicate.value == predicate:
                yield t.predicate.value, t.subject  # type: ignore[misc]


class StoreOrigins:
    """Where the data says things, asked of the store's files graph and data graphs (with a
    change on top): what a report names files by, without reading any file."""

    def __init__(self, state: PostState) -> None:
        self.state = state
        ns = state.namespaces
        self.files_graph = ox.NamedNode(ns.files_graph)
        self.described_in = ox.NamedNode(ns.described_in)

    def files_mentioning(self, node: Node | OxTerm) -> list[str]:
        term = node if isinstance(node, ox.NamedNode | ox.BlankNode | ox.Literal) else to_ox(node)
        if isinstance(term, ox.Literal):
            return []
        change = self.state.change
        found = {
            str(getattr(q.object, "value", ""))
            for q in self.state.store.quads_for_pattern(term, self.described_in, None, self.files_graph)
        }
        found -= {f for s, f in change.described_removed if s == term}
        found |= {f for s, f in change.described_added if s == term}
        return sorted(found)

    def blank_referrers(self, node: Node | OxTerm) -> list[tuple[OxTerm, ox.NamedNode, str]]:
        """Who points at a blank node: a blank node is its own file's, so a triple naming it is
        stated in the file that describes it (or, for one with no triples, its referrer's)."""
        term = node if isinstance(node, ox.NamedNode | ox.BlankNode | ox.Literal) else to_ox(node)
        if not isinstance(term, ox.BlankNode):
            return []
        own = self.files_mentioning(term)
        found: list[tuple[OxTerm, ox.NamedNode, str]] = []
        for triple in self._pointing_at(term):
            subject = triple.subject
            if isinstance(subject, ox.NamedNode | ox.BlankNode):
                files = own or self._file_of(term, self.files_mentioning(subject))
                found += [(subject, triple.predicate, f) for f in files[:1]]
        return found

    @staticmethod
    def _file_of(term: ox.BlankNode, candidates: list[str]) -> list[str]:
        """Of the files describing a referrer, the one a blank node's label says it is from."""
        own = [name for name in candidates if term.value.startswith(blank_node_prefix(name))]
        return own or candidates

    def _pointing_at(self, term: ox.BlankNode) -> set[ox.Triple]:
        ns, change = self.state.namespaces, self.state.change
        found = set()
        for quad in self.state.store.quads_for_pattern(None, None, term, None):
            holder = quad.graph_name
            if (
                isinstance(holder, ox.NamedNode)
                and holder.value not in ns.hidden_graphs
                and holder.value != ns.inferred_graph
            ):
                triple = ox.Triple(quad.subject, quad.predicate, quad.object)
                if triple not in change.removed.get(holder.value, ()):
                    found.add(triple)
        for graph, triples in change.added.items():
            if graph != ns.inferred_graph:
                found.update(t for t in triples if t.object == term)
        return found
