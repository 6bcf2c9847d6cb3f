"""How far a shape reads from its focus nodes, in which direction, and what it reads everywhere:
read off the shapes, so that a commit validates only the nodes a change can reach.

For each node shape, a :class:`Reach`:

- ``radius``: the verdict on a focus node depends only on the triples of nodes within this many
  hops of it — a property shape's path length plus the radius of the shapes it applies to the
  values (``sh:class`` reads a value's types: one hop); for a SHACL-SPARQL constraint, how far
  from ``$this`` the subjects of its triple patterns are.
- ``backward``: whether a hop may go from object to subject (``sh:inversePath``, or a pattern
  reached through its object); else every hop follows a triple from subject to object.
- ``transitive``: the predicates of ``*``/``+`` paths; a hop along one of them costs nothing, so a
  whole chain of them is within reach.
- ``everywhere``: the predicates of patterns not tied to ``$this`` (``?s hkus:lifeCycleStage ?x``,
  a fixed subject, the annotations of a property bound by a variable predicate): the verdict may
  depend on every triple with one of them, so those triples are always validated with, and a
  change to one of them validates the shape on every target.

A shape whose reach cannot be read (a variable predicate in a pattern not tied to ``$this``) has
``radius`` None: it is validated on every target at every commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kgapp.commits.sparqlreach import UNBOUNDED, Reach, sparql_reach
from kgapp.rdflibterms import SH

NESTING = (SH.node, SH["not"], SH.qualifiedValueShape)
LISTS = (SH["and"], SH["or"], SH.xone)
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


@dataclass(frozen=True)
class PathReach:
    hops: int | None
    backward: bool
    transitive: frozenset[str]


def path_reach(shapes: Graph, path: Node | None) -> PathReach:
    """How many hops a SHACL path takes, whether backwards, and through which ``*``/``+`` predicates."""
    if path is None:
        return PathReach(0, False, frozenset())
    if isinstance(path, URIRef):
        return PathReach(1, False, frozenset())
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        inner = path_reach(shapes, inverse)
        return PathReach(inner.hops, True, inner.transitive)
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return _combined([path_reach(shapes, p) for p in shapes.items(alternatives)], max)
    if (path, RDF.first, None) in shapes:
        return _combined([path_reach(shapes, p) for p in shapes.items(path)], sum)
    optional = shapes.value(path, SH.zeroOrOnePath)
    if optional is not None:
        return path_reach(shapes, optional)
    repeated = shapes.value(path, SH.zeroOrMorePath) or shapes.value(path, SH.oneOrMorePath)
    if repeated is not None:
        names = _path_iris(shapes, repeated)
        return (
            PathReach(0, True, frozenset(names)) if names is not None else PathReach(None, True, frozenset())
        )
    return PathReach(None, True, frozenset())


def _combined(parts: list[PathReach], hops: object) -> PathReach:
    if any(p.hops is None for p in parts):
        return PathReach(None, True, frozenset())
    counted = [p.hops for p in parts if p.hops is not None]
    return PathReach(
        hops(counted) if counted else 0,  # type: ignore[operator]
        any(p.backward for p in parts),
        frozenset().union(*(p.transitive for p in parts)),
    )


def _path_iris(shapes: Graph, path: Node) -> set[str] | None:
    if isinstance(path, URIRef):
        return {str(path)}
    found: set[str] = set()
    members = list(shapes.items(path)) if (path, RDF.first, None) in shapes else []
    for kind in (SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        members += list(shapes.objects(path, kind))
    for alternatives in shapes.objects(path, SH.alternativePath):
        members += list(shapes.items(alternatives))
    if not members:
        return None
    for member in members:
        inner = _path_iris(shapes, member)
        if inner is None:
            return None
        found |= inner
    return found


def shape_reach(
    shapes: Graph, shape: Node, prefixes: dict[str, str], seen: frozenset[Node] = frozenset()
) -> Reach:
    """How far from a focus node, and how, the triples this shape reads can be."""
    if shape in seen:
        return UNBOUNDED
    seen = seen | {shape}
    path = path_reach(shapes, shapes.value(shape, SH.path))
    if path.hops is None:
        return UNBOUNDED
    # a path of n hops reads the triples of the nodes 0 … n-1 hops out; what the shapes applied
    # to its values read starts n hops out
    reach = Reach(max(path.hops - 1, 0), path.backward, set(path.transitive))
    nested = [o for p in NESTING for o in shapes.objects(shape, p)]
    nested += [m for p in LISTS for head in shapes.objects(shape, p) for m in shapes.items(head)]
    for inner in nested:
        reach = reach.joined(shape_reach(shapes, inner, prefixes, seen), path.hops)
    if (shape, SH["class"], None) in shapes:  # the values' types
        reach = reach.joined(Reach(0), path.hops)
    for property_shape in shapes.objects(shape, SH.property):
        reach = reach.joined(shape_reach(shapes, property_shape, prefixes, seen), path.hops)
    for constraint in shapes.objects(shape, SH.sparql):
        select = str(shapes.value(constraint, SH.select) or "")
        reach = reach.joined(sparql_reach(select, prefixes), path.hops)
    return reach


def node_shapes(shapes: Graph) -> list[URIRef]:
    found = set(shapes.subjects(RDF.type, SH.NodeShape)) | {s for p in TARGETS for s in shapes.subjects(p)}
    return sorted(s for s in found if isinstance(s, URIRef))


def shape_reaches(shapes: Graph, prefixes: dict[str, str]) -> dict[URIRef, Reach]:
    """Every named node shape's reach."""
    return {s: shape_reach(shapes, s, _declared_prefixes(shapes, prefixes)) for s in node_shapes(shapes)}


def _declared_prefixes(shapes: Graph, prefixes: dict[str, str]) -> dict[str, str]:
    found = dict(prefixes)
    for declaration in shapes.objects(None, SH.declare):
        found[str(shapes.value(declaration, SH.prefix))] = str(shapes.value(declaration, SH.namespace))
    return found


def owned_shapes(shapes: Graph, shape: Node) -> set[Node]:
    """``shape`` and every shape it applies (property shapes, nested shapes): the shapes whose
    results a report may name for it."""
    found: set[Node] = set()
    stack = [shape]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack += list(shapes.objects(current, SH.property))
        stack += [o for p in NESTING for o in shapes.objects(current, p)]
        stack += [m for p in LISTS for head in shapes.objects(current, p) for m in shapes.items(head)]
    return found
