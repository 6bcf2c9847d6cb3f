"""How far a shape reads from its focus nodes, and which properties: read off the shapes.

A node shape's *radius* bounds how far from a focus node the triples its verdict depends on can
be: a property shape's path length plus the radius of the shapes it applies to the values; for a
SHACL-SPARQL constraint, how far from ``$this`` the subjects of its triple patterns are. A shape
with no bound (``+``/``*`` paths, a fixed subject, a pattern not connected to ``$this``) has radius
None; for those, :func:`predicates_read` says which properties they read at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, Path, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node, Variable

from kgapp.loader import Project
from kgapp.rdflibterms import SH

NESTING = (SH.node, SH["not"], SH.qualifiedValueShape)
LISTS = (SH["and"], SH["or"], SH.xone)
PATH_KINDS = (SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)


def path_length(shapes: Graph, path: Node | None) -> int | None:
    if isinstance(path, URIRef):
        return 1
    if path is None:
        return 0
    if (path, SH.inversePath, None) in shapes:
        return path_length(shapes, shapes.value(path, SH.inversePath))
    if (path, SH.alternativePath, None) in shapes:
        alternatives = shapes.value(path, SH.alternativePath)
        lengths = [path_length(shapes, p) for p in shapes.items(alternatives)] if alternatives else [None]
        return None if None in lengths else max(lengths, default=0)  # type: ignore[type-var]
    if (path, RDF.first, None) in shapes:
        lengths = [path_length(shapes, p) for p in shapes.items(path)]
        return None if None in lengths else sum(lengths)  # type: ignore[arg-type]
    return None  # zeroOrMore, oneOrMore, zeroOrOne: unbounded or not worth bounding


def radius(
    shapes: Graph, shape: Node, prefixes: dict[str, str], seen: frozenset[Node] = frozenset()
) -> int | None:
    """How far from a focus node the triples this shape reads can be (None: no bound)."""
    if shape in seen:
        return None
    seen = seen | {shape}
    length = path_length(shapes, shapes.value(shape, SH.path))
    if length is None:
        return None
    nested = [o for p in NESTING for o in shapes.objects(shape, p)]
    nested += [m for p in LISTS for head in shapes.objects(shape, p) for m in shapes.items(head)]
    nested += list(shapes.objects(shape, SH.property))
    inner = [radius(shapes, n, prefixes, seen) for n in nested]
    for constraint in shapes.objects(shape, SH.sparql):
        inner.append(sparql_radius(str(shapes.value(constraint, SH.select) or ""), prefixes))
    if None in inner:
        return None
    return length + max((r for r in inner if r is not None), default=0)


def sparql_radius(select: str, prefixes: dict[str, str]) -> int | None:
    """How far from ``$this`` the subjects of the query's triple patterns can be (None: closures,
    fixed subjects or patterns not connected to ``$this``)."""
    try:
        query: Query = prepareQuery(select, initNs=prefixes)
    except Exception:  # the validator reports a constraint that does not parse; stay safe here
        return None
    edges: list[tuple[Node, Node, int]] = []
    for s, p, o in _patterns(query.algebra):
        hops = _hops(p)
        if hops is None or not isinstance(s, Variable):  # a fixed subject: every node may depend on it
            return None
        edges.append((s, o, hops))
    distance: dict[Node, int] = {Variable("this"): 0}
    for _ in edges:  # Bellman-Ford on an undirected graph, longest shortest path
        for s, o, hops in edges:
            for a, b in ((s, o), (o, s)):
                if a in distance and isinstance(b, Variable) and distance.get(b, 10**9) > distance[a] + hops:
                    distance[b] = distance[a] + hops
    subjects = {s for s, _o, _hops in edges}
    if subjects - distance.keys():
        return None
    # An edit can change a match only through a triple whose subject the pattern reaches.
    return max(distance[s] for s in subjects) if subjects else 0


def _patterns(node: object) -> Iterator[tuple[Node, Node, Node]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "triples" and isinstance(value, list):
                yield from (t for t in value if isinstance(t, tuple) and len(t) == 3)
            else:
                yield from _patterns(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _patterns(item)


def _hops(predicate: object) -> int | None:
    if isinstance(predicate, MulPath | NegatedPath):
        return None
    if isinstance(predicate, InvPath):
        return _hops(predicate.arg)
    if isinstance(predicate, SequencePath):
        lengths = [_hops(p) for p in predicate.args]
        return None if None in lengths else sum(lengths)  # type: ignore[arg-type]
    if isinstance(predicate, AlternativePath):
        lengths = [_hops(p) for p in predicate.args]
        return None if None in lengths else max(lengths)  # type: ignore[type-var]
    return 1


def shape_radii(project: Project) -> dict[URIRef, int | None]:
    shapes = project.shapes
    prefixes = shape_prefixes(project)
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape)) | {
        s
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
        for s in shapes.subjects(p)
    }
    return {s: radius(shapes, s, prefixes) for s in node_shapes if isinstance(s, URIRef)}


def shape_prefixes(project: Project) -> dict[str, str]:
    shapes = project.shapes
    prefixes = dict(project.namespaces.prefixes)
    for declaration in shapes.objects(None, SH.declare):
        prefixes[str(shapes.value(declaration, SH.prefix))] = str(shapes.value(declaration, SH.namespace))
    return prefixes


def predicates_read(project: Project, shapes_read: list[URIRef]) -> set[str] | None:
    """Every property the given shapes (and the shapes they nest) read, rdf:type and
    rdfs:subClassOf always among them; None when a SPARQL pattern has a variable predicate."""
    shapes = project.shapes
    prefixes = shape_prefixes(project)
    found = {str(RDF.type), "http://www.w3.org/2000/01/rdf-schema#subClassOf"}
    stack: list[Node] = list(shapes_read)
    seen: set[Node] = set()
    while stack:
        shape = stack.pop()
        if shape in seen:
            continue
        seen.add(shape)
        found.update(_path_predicates(shapes, shapes.value(shape, SH.path)))
        stack += [o for p in NESTING for o in shapes.objects(shape, p)]
        stack += [m for p in LISTS for head in shapes.objects(shape, p) for m in shapes.items(head)]
        stack += list(shapes.objects(shape, SH.property))
        for constraint in shapes.objects(shape, SH.sparql):
            try:
                query: Query = prepareQuery(str(shapes.value(constraint, SH.select) or ""), initNs=prefixes)
            except Exception:
                return None
            for _s, p, _o in _patterns(query.algebra):
                iris = _path_iris(p)
                if iris is None:
                    return None
                found.update(iris)
    return found


def _path_predicates(shapes: Graph, path: Node | None) -> set[str]:
    if path is None:
        return set()
    if isinstance(path, URIRef):
        return {str(path)}
    found: set[str] = set()
    for kind in PATH_KINDS:
        for inner in shapes.objects(path, kind):
            members = list(shapes.items(inner)) if kind == SH.alternativePath else [inner]
            for member in members:
                found |= _path_predicates(shapes, member)
    if (path, RDF.first, None) in shapes:
        for member in shapes.items(path):
            found |= _path_predicates(shapes, member)
    return found


def _path_iris(predicate: object) -> set[str] | None:
    if isinstance(predicate, URIRef):
        return {str(predicate)}
    if isinstance(predicate, Variable):
        return None
    if isinstance(predicate, InvPath | MulPath):
        return _path_iris(predicate.path if isinstance(predicate, MulPath) else predicate.arg)
    if isinstance(predicate, SequencePath | AlternativePath):
        found: set[str] = set()
        for arg in predicate.args:
            inner = _path_iris(arg)
            if inner is None:
                return None
            found |= inner
        return found
    if isinstance(predicate, NegatedPath):
        return None
    return None if isinstance(predicate, Path) else set()
