"""Which focus nodes an edit can affect, read off the shapes; and validating only those.

A node shape's *radius* bounds how far from a focus node the triples its verdict depends on can
be: a property shape's path length plus the radius of the shapes it applies to the values; for a
SHACL-SPARQL constraint, the longest chain of triple patterns from ``$this``. An edit can then
only change the verdict on nodes within that many hops of the edited triple's subject (either
direction), or on the edited triple's object. A shape with no bound (``+``/``*`` paths, a
pattern not connected to ``$this``) is validated on all its focus nodes every time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node, Variable

from kgapp.build.progress import Progress
from kgapp.build.state import BuildState
from kgapp.loader import Project
from kgapp.namespaces import SH
from kgapp.reasoning.index import Index
from kgapp.reasoning.terms import (
    EQUIVALENT_CLASS,
    FIRST,
    REST,
    SUBCLASS,
    SUBPROPERTY,
    TYPE,
    IntTriple,
    TermTable,
)
from kgapp.validation import ValidationReport, input_of, validate_input

# Edits that change what a shape targets or what sh:class accepts, anywhere.
GLOBAL_PREDICATES = {SUBCLASS, SUBPROPERTY, EQUIVALENT_CLASS, FIRST, REST}
NESTING = (SH.node, SH["not"], SH.qualifiedValueShape)
LISTS = (SH["and"], SH["or"], SH.xone)


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
    prefixes = dict(project.namespaces.prefixes)
    for declaration in shapes.objects(None, SH.declare):
        prefixes[str(shapes.value(declaration, SH.prefix))] = str(shapes.value(declaration, SH.namespace))
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape)) | {
        s
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
        for s in shapes.subjects(p)
    }
    return {s: radius(shapes, s, prefixes) for s in node_shapes if isinstance(s, URIRef)}


def affected_nodes(edits: Iterable[IntTriple], index: Index, table: TermTable, hops: int) -> set[int]:
    """Edited subjects and their neighbours up to ``hops`` away, and edited objects (not classes)."""
    subjects = {s for s, _p, _o in edits}
    reached = set(subjects) | {o for _s, p, o in edits if p != TYPE and not table.is_literal(o)}
    frontier = subjects
    for _ in range(hops):
        found: set[int] = set()
        for node in frontier:
            for p in index.subject_predicates.get(node, ()):
                if p != TYPE:
                    found.update(o for o in index.objects(node, p) if not table.is_literal(o))
            for p in index.object_predicates.get(node, ()):
                found.update(index.subjects(p, node))
        frontier = found - reached
        reached |= found
    return reached


def target_nodes(shapes: Graph, shape: URIRef, index: Index, table: TermTable) -> set[int] | None:
    """The focus nodes a shape targets in the closure (a superset of SHACL's own targets, since
    the closure holds every inferred type); None when a target cannot be read off (sh:target)."""
    if (shape, SH.target, None) in shapes:
        return None
    found: set[int] = set()

    def term_id(node: Node) -> int | None:
        return table.ids.get(ox.NamedNode(str(node))) if isinstance(node, URIRef) else None

    classes = list(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
        classes.append(shape)
    for c in filter(None, map(term_id, classes)):
        found.update(index.subjects(TYPE, c))
    found.update(filter(None, map(term_id, shapes.objects(shape, SH.targetNode))))
    for p in filter(None, map(term_id, shapes.objects(shape, SH.targetSubjectsOf))):
        found.update(s for s, _o in index.pairs(p))
    for p in filter(None, map(term_id, shapes.objects(shape, SH.targetObjectsOf))):
        found.update(o for _s, o in index.pairs(p))
    return found


def validate_incrementally(
    project: Project,
    previous: BuildState,
    table: TermTable,
    index: Index,
    edits: set[IntTriple],
    *,
    validator: str,
    progress: Progress,
) -> ValidationReport:
    """Validate again the focus nodes the edits can affect, and every focus node of the shapes
    with no bound; keep the previous results of every other node. ``index`` is the previous
    closure (the edited triples' new neighbours are their own ends)."""
    given = input_of(project)
    radii = shape_radii(project)
    hops = max((r for r in radii.values() if r is not None), default=0)
    nodes: set[int] | None = affected_nodes(edits, index, table, hops)
    if any(p in GLOBAL_PREDICATES for _s, p, _o in edits) or any(isinstance(s, BNode) for s in radii):
        nodes = None
    for shape in (s for s, r in radii.items() if r is None):
        targets = target_nodes(project.shapes, shape, index, table) if nodes is not None else None
        nodes = None if targets is None or nodes is None else nodes | targets
    terms = [table.terms[n] for n in nodes] if nodes is not None else []
    if nodes is None or any(isinstance(t, ox.BlankNode) for t in terms):
        progress.say("  validating every focus node (the edit reaches beyond a bounded neighbourhood)")
        return validate_input(given, project, validator=validator)
    focus = sorted({t.value for t in terms if isinstance(t, ox.NamedNode)})
    # A node no edit reaches keeps its results, files included: any change to a file is an
    # edit of the triples it adds or removes, whose subjects are reached.
    focus_set = set(focus)
    kept = [r for r in previous.results if r.focus not in focus_set]
    fresh = validate_input(given, project, validator=validator, focus_nodes=focus).results
    progress.say(
        f"  validated {len(focus):,} focus node(s) the edits can affect, kept {len(kept):,} result(s)"
    )
    return ValidationReport(sorted(kept + fresh, key=lambda r: r.sort_key()))
