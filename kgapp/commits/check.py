"""Validating a commit on what it can affect: the same report as validating everything.

SHACL runs on the asserted data with the ontology mixed in and no inference
(:mod:`kgapp.validation.backends`), so only the change's asserted triples can change a verdict.
With each shape's reach (:mod:`kgapp.commits.reach`), a change to a triple can change the verdict
on a focus node only if the triple's subject is within the shape's radius of the node (following
triples backwards from the subject, or both ways for a shape that reads backwards), or if the
node is the triple's object (``sh:targetObjectsOf``). Those nodes are *affected*. Their verdicts
depend only on the triples of the nodes within the radius of them, so that neighbourhood (with
the whole ontology, and every triple of the predicates some shape reads everywhere) is validated
as a small graph, and only the results on affected nodes are kept; every other result is the
previous version's. A change to a predicate a shape reads everywhere validates that shape on
every target; a change to the class or property hierarchy or to an RDF list, everything.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from kgapp.commits.change import Change
from kgapp.commits.poststate import PostState, is_data_graph
from kgapp.commits.reach import owned_shapes, shape_reaches
from kgapp.commits.sparqlreach import Reach
from kgapp.commits.targets import Targets, is_target, shape_targets, subclasses
from kgapp.commits.walk import walk
from kgapp.namespaces import RDF_TYPE, Namespaces
from kgapp.rdflibterms import SH, rdflib_graph, to_ox
from kgapp.rdfterms import OxTerm
from kgapp.validation import ontology_annotations
from kgapp.validation.report import (
    ShapesError,
    ValidationReport,
    ValidationResult,
    namespace_manager,
    results_of,
)

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
OWL = "http://www.w3.org/2002/07/owl#"
# Changes that alter what a shape targets or what sh:class accepts, anywhere.
EVERYTHING_PREDICATES = {
    RDFS + "subClassOf",
    RDFS + "subPropertyOf",
    OWL + "equivalentClass",
    RDF + "first",
    RDF + "rest",
}
TYPE = ox.NamedNode(RDF_TYPE)
RDF_TYPE_REF = URIRef(RDF_TYPE)
RDFS_CLASS, OWL_CLASS = RDFS + "Class", OWL + "Class"
WalkKey = tuple[int, bool, frozenset[str]]  # radius, backward, transitive predicates
LOANED_STORE_LIMIT = 50_000  # more data than this is validated in a store of its own


class ShapeContext:
    """What validating a commit needs of the shapes and the ontology, read once per whole build:
    the shapes compiled, each shape's reach, the ontology's triples."""

    def __init__(self, shapes: list[ox.Triple], ontology: list[ox.Triple], namespaces: Namespaces) -> None:
        from pyshacl_turbo import compile_shapes

        self.namespaces = namespaces
        self._loan = threading.Lock()
        self.shapes_graph: Graph = rdflib_graph(shapes)
        self.ontology = ontology
        self.annotations = ontology_annotations(ontology, namespaces)
        self.names: NamespaceManager = namespace_manager(namespaces)
        self.reaches: dict[URIRef, Reach] = shape_reaches(self.shapes_graph, namespaces.prefixes)
        try:
            self.compiled = compile_shapes(self.shapes_graph, advanced=True)  # type: ignore[no-untyped-call]
        except Exception as exc:  # the engine's own error types vary with the shape at fault
            raise ShapesError(f"the shapes cannot be applied: {exc}") from None
        below = self.below = subclasses(ontology)
        self.targets = {shape: shape_targets(self.shapes_graph, shape, below) for shape in self.reaches}
        self.owners: dict[str | None, set[URIRef]] = {}
        for shape in self.reaches:
            for owned in owned_shapes(self.shapes_graph, shape):
                self.owners.setdefault(self.shape_name(owned), set()).add(shape)

    def declared_classes(self, shape: URIRef) -> set[str]:
        """The classes ``shape`` targets as written (not their subclasses)."""
        classes = {str(c) for c in self.shapes_graph.objects(shape, SH.targetClass)}
        if {RDFS_CLASS, OWL_CLASS} & {str(k) for k in self.shapes_graph.objects(shape, RDF_TYPE_REF)}:
            classes.add(str(shape))
        return classes

    @classmethod
    def of_store(cls, store: ox.Store, namespaces: Namespaces) -> ShapeContext:
        def triples(graph: str) -> list[ox.Triple]:
            found = store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
            return [ox.Triple(q.subject, q.predicate, q.object) for q in found]

        return cls(triples(namespaces.shapes_graph), triples(namespaces.ontology_graph), namespaces)

    def shape_name(self, shape: Node) -> str | None:
        """A shape as a report names it (:func:`kgapp.validation.report.results_of`)."""
        if not isinstance(shape, URIRef):
            return None
        try:
            return self.names.normalizeUri(shape)
        except ValueError:
            return str(shape)

    def key(self, shape: URIRef) -> WalkKey | None:
        reach = self.reaches[shape]
        if reach.radius is None:
            return None
        return (reach.radius, reach.backward, frozenset(reach.transitive))

    @cached_property
    def everywhere(self) -> set[str]:
        return set().union(*(r.everywhere for r in self.reaches.values()))

    def validate(
        self,
        triples: Iterable[ox.Triple],
        use_shapes: list[str] | None = None,
        focus: list[str] | None = None,
    ) -> Graph:
        """Validate ``triples`` with the ontology mixed in (as a whole validation does), on the
        ``focus`` nodes only when given (each still validated only by the shapes that target it)."""
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
        if len(quads) > LOANED_STORE_LIMIT:
            store = ox.Store()
            store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in self.ontology)
            store.bulk_extend(quads)
            return self._report(store, use_shapes, focus)
        with self._loan:  # one validation at a time borrows the store
            store = self._ontology_store
            loaned = [q for q in quads if q not in store]
            store.extend(loaned)
            try:
                return self._report(store, use_shapes, focus)
            finally:
                for quad in loaned:
                    store.remove(quad)

    @cached_property
    def _ontology_store(self) -> ox.Store:
        """A store holding the ontology, lent to each small validation (loading the ontology
        anew cost a commit ~5 ms): the data is put in, validated and taken out again."""
        store = ox.Store()
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in self.ontology)
        return store

    def _report(self, store: ox.Store, use_shapes: list[str] | None, focus: list[str] | None) -> Graph:
        try:
            _conforms, report, _text = self.compiled.validate(
                store,
                inference="none",
                allow_warnings=True,
                abort_on_first=False,
                use_shapes=use_shapes,
                focus_nodes=focus,
            )
        except Exception as exc:
            raise ShapesError(f"the shapes cannot be applied: {exc}") from None
        if not isinstance(report, Graph):
            raise ShapesError(f"the shapes cannot be applied: {report}")
        return report


@dataclass
class Scope:
    affected: dict[WalkKey, set[OxTerm]]
    neighbourhood: set[ox.Triple]
    full_shapes: set[URIRef]


def check(
    change: Change,
    context: ShapeContext,
    previous: list[ValidationResult],
    origins: Any,
    state: PostState,
) -> ValidationReport:
    """The report on the data after ``change`` (already effective), from the previous report."""
    ns = context.namespaces
    edits = [
        t
        for graph, part in (*change.removed.items(), *change.added.items())
        if is_data_graph(graph, ns)
        for t in part
    ]
    edited_predicates = {t.predicate.value for t in edits}
    if edited_predicates & EVERYTHING_PREDICATES or any(r.radius is None for r in context.reaches.values()):
        report = context.validate([*state.all_data_triples(), *context.annotations])
        return ValidationReport(results_of(report, context.shapes_graph, context.names, origins))
    if not edits:
        return ValidationReport(list(previous))
    scope = _scope(state, edits, edited_predicates, context)
    keep = _keeper(scope, context)
    kept = [r for r in previous if not keep(term_of(r.node), r.shape)]
    bounded = [str(s) for s in context.reaches if s not in scope.full_shapes]
    if bounded:
        report = context.validate(
            [*scope.neighbourhood, *context.annotations],
            None if not scope.full_shapes else bounded,
            None if scope.full_shapes else _focus(scope),
        )
        kept += results_of(report, context.shapes_graph, context.names, origins, keep)
    if scope.full_shapes:
        report = context.validate(
            [*state.all_data_triples(), *context.annotations], [str(s) for s in scope.full_shapes]
        )
        kept += results_of(report, context.shapes_graph, context.names, origins)
    return ValidationReport(sorted(kept, key=ValidationResult.sort_key))


def _scope(
    state: PostState, edits: list[ox.Triple], edited_predicates: set[str], context: ShapeContext
) -> Scope:
    subjects: set[OxTerm] = {t.subject for t in edits if isinstance(t.subject, ox.NamedNode | ox.BlankNode)}
    objects: set[OxTerm] = {
        t.object for t in edits if t.predicate != TYPE and isinstance(t.object, ox.NamedNode | ox.BlankNode)
    }
    full_shapes = _with_sharers(
        {s for s, r in context.reaches.items() if r.everywhere & edited_predicates}, context
    )
    affected: dict[WalkKey, set[OxTerm]] = {}
    near: set[OxTerm] = set()
    by_key: dict[WalkKey, Targets] = {}
    for shape in context.reaches:
        key = context.key(shape)
        if shape not in full_shapes and key is not None:
            by_key[key] = by_key.get(key, Targets()) | context.targets[shape]
    for key, targets in by_key.items():
        radius, backward, free = key
        # a node is affected when an edited subject is within reach of it (walk from the edited
        # subjects the other way) and a shape of that reach targets it
        candidates = walk(state, subjects, radius, forward=backward, backward=True, free=free) | objects
        nodes = {node for node in candidates if is_target(node, targets, state)}
        affected[key] = nodes
        near |= walk(state, nodes, radius, forward=True, backward=backward, free=free)
    neighbourhood: set[ox.Triple] = set()
    for node in near:
        neighbourhood |= state.data_triples_of(node)
    for predicate in context.everywhere:
        neighbourhood |= state.data_triples_with(predicate)
    return Scope(affected, neighbourhood, full_shapes)


def _focus(scope: Scope) -> list[str] | None:
    """The affected nodes, for the validator to start from (None: every node of the
    neighbourhood, when a blank node is among them, which the validator cannot be given)."""
    nodes = set().union(*scope.affected.values()) if scope.affected else set()
    if not nodes or any(not isinstance(node, ox.NamedNode) for node in nodes):
        return None
    return sorted(node.value for node in nodes)


def _with_sharers(shapes: set[URIRef], context: ShapeContext) -> set[URIRef]:
    """``shapes`` and every shape that applies a shape one of them applies (a report names the
    shared one, so their results cannot be told apart)."""
    found = set(shapes)
    grew = True
    while grew:
        grew = False
        for owners in context.owners.values():
            if owners & found and not owners <= found:
                found |= owners
                grew = True
    return found


def _keeper(scope: Scope, context: ShapeContext) -> Any:
    """Whether a result on (focus, shape) is one this commit decides again: a result of a shape
    validated on every target, or on a node the change affects for that shape."""
    every_key = set(scope.affected)

    def decides(focus: Node | OxTerm | None, shape_name: str | None) -> bool:
        if focus is None:
            return False
        owners = context.owners.get(shape_name, set())
        if owners & scope.full_shapes:
            return True
        keys = {context.key(o) for o in owners} - {None} or every_key
        term = focus if isinstance(focus, ox.NamedNode | ox.BlankNode | ox.Literal) else to_ox(focus)
        return any(term in scope.affected.get(key, ()) for key in keys)  # type: ignore[arg-type]

    return decides


def term_of(node: str) -> OxTerm | None:
    """A focus node back from its N-Triples form."""
    if node.startswith("_:"):
        return ox.BlankNode(node[2:])
    if node.startswith("<") and node.endswith(">"):
        return ox.NamedNode(node[1:-1])
    return None
