"""The one home of what a store holds besides the named graphs: the graphs queries and commits read.

- The store's **default graph** is the endpoint's default graph: the set-union of the asserted
  graphs (but the shapes) and the inferred graph, each triple once. SPARQL's default graph is the
  RDF merge of its graphs, a set; pyoxigraph evaluating over a list of graphs would repeat a
  triple once per graph that states it (the same fact from several sources), and one graph is
  also the fastest to query.
- The hidden **asserted graph** holds the asserted union alone: the default graph of queries with
  inferences switched off (:mod:`kgapp.dataset`), and the asserted triples the rules start from.
- The hidden **entailment graph** holds what the OWL 2 RL closure has but no page shows (reflexive
  axioms, ``owl:Thing`` typing, axioms about the W3C vocabularies): a commit's reasoning reads the
  whole closure from the store (:mod:`kgapp.commits.closure`).
- The hidden **files graph** says which input file describes which subject, so that a report
  names files without reading them (:class:`kgapp.commits.check.StoreOrigins`).

A whole build writes them with :func:`served_quads`; a commit changes them with
:class:`ServedDelta`. None of the hidden graphs is one of the dataset's named graphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgapp.namespaces import Namespaces

DEFAULT = ox.DefaultGraph()
Graph = ox.NamedNode | ox.DefaultGraph
Subject = ox.NamedNode | ox.BlankNode


def is_unioned(graph: str, namespaces: Namespaces) -> bool:
    """Whether a named graph's triples are asserted and served: all but the shapes and inference."""
    return graph not in (namespaces.shapes_graph, namespaces.inferred_graph)


def described_quad(subject: Subject, file: str, namespaces: Namespaces) -> ox.Quad:
    """The files graph's record that ``file`` describes ``subject``."""
    return ox.Quad(
        subject, ox.NamedNode(namespaces.described_in), ox.Literal(file), ox.NamedNode(namespaces.files_graph)
    )


def served_quads(
    named: Mapping[str, Iterable[ox.Triple]],
    inferred: Iterable[ox.Triple],
    entailed: Iterable[ox.Triple],
    described: Mapping[str, Iterable[Subject]],
    namespaces: Namespaces,
) -> Iterator[ox.Quad]:
    """Every quad a store holds for a version: the named graphs, the inferred graph, the default
    graph, and the hidden asserted, entailment and files graphs. ``described`` gives, for each
    input file, the subjects it describes."""
    asserted_union: set[ox.Triple] = set()
    for graph, triples in named.items():
        node = ox.NamedNode(graph)
        kept = is_unioned(graph, namespaces)
        for triple in triples:
            yield ox.Quad(triple.subject, triple.predicate, triple.object, node)
            if kept:
                asserted_union.add(triple)
    hidden = ox.NamedNode(namespaces.asserted_graph)
    for triple in asserted_union:
        yield ox.Quad(triple.subject, triple.predicate, triple.object, hidden)
        yield ox.Quad(triple.subject, triple.predicate, triple.object, DEFAULT)
    inferred_graph = ox.NamedNode(namespaces.inferred_graph)
    for triple in inferred:
        yield ox.Quad(triple.subject, triple.predicate, triple.object, inferred_graph)
        if triple not in asserted_union:
            yield ox.Quad(triple.subject, triple.predicate, triple.object, DEFAULT)
    entailed_graph = ox.NamedNode(namespaces.entailed_graph)
    for triple in entailed:
        yield ox.Quad(triple.subject, triple.predicate, triple.object, entailed_graph)
    for file, subjects in described.items():
        for subject in subjects:
            yield described_quad(subject, file, namespaces)


@dataclass
class ServedDelta:
    """The quads a commit takes out of the store and puts in, every graph included."""

    removed: set[ox.Quad] = field(default_factory=set)
    added: set[ox.Quad] = field(default_factory=set)

    def take(self, quad: ox.Quad) -> None:
        if quad in self.added:
            self.added.discard(quad)
        else:
            self.removed.add(quad)

    def put(self, quad: ox.Quad) -> None:
        if quad in self.removed:
            self.removed.discard(quad)
        else:
            self.added.add(quad)

    def place(self, triple: ox.Triple, graph: Graph, before: bool, after: bool) -> None:
        """Take ``triple`` out of ``graph`` or put it in, as its membership goes from ``before``
        to ``after``."""
        if before != after:
            quad = ox.Quad(triple.subject, triple.predicate, triple.object, graph)
            (self.put if after else self.take)(quad)

    def in_graph(self, graph: Graph) -> tuple[set[ox.Triple], set[ox.Triple]]:
        """(removed, added) triples of one graph."""

        def triples(quads: set[ox.Quad]) -> set[ox.Triple]:
            return {ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name == graph}

        return triples(self.removed), triples(self.added)

    def __bool__(self) -> bool:
        return bool(self.removed or self.added)


def held(store: ox.Store, triple: ox.Triple, graph: Graph) -> bool:
    return (
        next(store.quads_for_pattern(triple.subject, triple.predicate, triple.object, graph), None)
        is not None
    )


def asserted_union_delta(
    store: ox.Store,
    removed: Mapping[str, set[ox.Triple]],
    added: Mapping[str, set[ox.Triple]],
    namespaces: Namespaces,
) -> tuple[set[ox.Triple], set[ox.Triple]]:
    """What the asserted union loses and gains when these named graphs lose and gain triples
    (each change already effective: a removed triple was in its graph, an added one was not):
    a triple leaves the union when no asserted graph holds it any more, and enters it when one
    first does."""
    gained = {t for g, ts in added.items() if is_unioned(g, namespaces) for t in ts}
    lost: set[ox.Triple] = set()
    hidden = namespaces.derived_graphs
    for graph, triples in removed.items():
        if not is_unioned(graph, namespaces):
            continue
        for triple in triples:
            if triple in gained or triple in lost:
                continue
            holders = {
                q.graph_name.value
                for q in store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
                if isinstance(q.graph_name, ox.NamedNode)
            }
            still = {
                g
                for g in holders
                if g not in hidden and is_unioned(g, namespaces) and triple not in removed.get(g, ())
            }
            if not still:
                lost.add(triple)
    asserted = ox.NamedNode(namespaces.asserted_graph)
    return lost, {t for t in gained if not held(store, t, asserted)}
