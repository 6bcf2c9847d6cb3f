"""Which nodes a shape validates (its focus nodes, SHACL §2.1.3), asked one node at a time of the
data before and after a change: a commit validates a node again only when some shape targets it,
so a node many things point at (a country, a source document) is not validated, nor its
neighbourhood read, unless a shape is about it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kgapp.commits.poststate import PostState
from kgapp.namespaces import RDF_TYPE
from kgapp.rdflibterms import SH
from kgapp.rdfterms import OxTerm

SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
EQUIVALENT = "http://www.w3.org/2002/07/owl#equivalentClass"


@dataclass(frozen=True)
class Targets:
    classes: frozenset[str] = frozenset()  # with every subclass the ontology gives
    subjects_of: frozenset[str] = frozenset()
    objects_of: frozenset[str] = frozenset()
    nodes: frozenset[OxTerm] = frozenset()

    def __or__(self, other: Targets) -> Targets:
        return Targets(
            self.classes | other.classes,
            self.subjects_of | other.subjects_of,
            self.objects_of | other.objects_of,
            self.nodes | other.nodes,
        )


def subclasses(ontology: Iterable[ox.Triple]) -> dict[str, set[str]]:
    """Each class with all its subclasses (itself included), from rdfs:subClassOf and
    owl:equivalentClass, transitively."""
    below: dict[str, set[str]] = {}
    for t in ontology:
        if not isinstance(t.subject, ox.NamedNode) or not isinstance(t.object, ox.NamedNode):
            continue
        if t.predicate.value == SUBCLASS:
            below.setdefault(t.object.value, set()).add(t.subject.value)
        elif t.predicate.value == EQUIVALENT:
            below.setdefault(t.object.value, set()).add(t.subject.value)
            below.setdefault(t.subject.value, set()).add(t.object.value)
    closed: dict[str, set[str]] = {}
    for top in below:
        found, stack = {top}, [top]
        while stack:
            for sub in below.get(stack.pop(), ()):
                if sub not in found:
                    found.add(sub)
                    stack.append(sub)
        closed[top] = found
    return closed


def shape_targets(shapes: Graph, shape: URIRef, below: dict[str, set[str]]) -> Targets:
    classes = {str(c) for c in shapes.objects(shape, SH.targetClass)}
    if {RDFS.Class, OWL.Class} & set(shapes.objects(shape, RDF.type)):
        classes.add(str(shape))  # an implicit class target
    return Targets(
        frozenset(sub for c in classes for sub in below.get(c, {c})),
        frozenset(str(p) for p in shapes.objects(shape, SH.targetSubjectsOf)),
        frozenset(str(p) for p in shapes.objects(shape, SH.targetObjectsOf)),
        frozenset(
            ox.NamedNode(str(n)) for n in shapes.objects(shape, SH.targetNode) if isinstance(n, URIRef)
        ),
    )


def is_target(node: OxTerm, targets: Targets, state: PostState) -> bool:
    """Whether ``node`` is a focus node of a shape with ``targets``, before or after the change."""
    if node in targets.nodes:
        return True
    if targets.classes and any(
        getattr(kind, "value", None) in targets.classes for _p, kind in state.out_edges(node, RDF_TYPE)
    ):
        return True
    if any(next(state.out_edges(node, p), None) is not None for p in targets.subjects_of):
        return True
    return any(next(state.in_edges(node, p), None) is not None for p in targets.objects_of)
