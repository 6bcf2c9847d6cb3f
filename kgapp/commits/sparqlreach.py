"""The reach of a SHACL-SPARQL constraint: how far from ``$this`` its triple patterns read, in
which direction, and which predicates it reads everywhere (see :mod:`kgapp.commits.reach` for
what a :class:`Reach` means). The query is parsed by our own SPARQL parser, never guessed at."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import kgapp.sparqlsyntax.tree as tree
from kgapp.errors import KGError
from kgapp.sparqlsyntax.parser import parse_query


@dataclass
class Reach:
    radius: int | None = 0
    backward: bool = False
    transitive: set[str] = field(default_factory=set)
    everywhere: set[str] = field(default_factory=set)

    def joined(self, other: Reach, offset: int = 0) -> Reach:
        """This reach and ``other`` read ``offset`` hops further out."""
        radius = (
            None if self.radius is None or other.radius is None else max(self.radius, other.radius + offset)
        )
        return Reach(
            radius,
            self.backward or other.backward,
            self.transitive | other.transitive,
            self.everywhere | other.everywhere,
        )


UNBOUNDED = Reach(None)


def sparql_reach(select: str, prefixes: dict[str, str]) -> Reach:
    """The reach of a SHACL-SPARQL constraint's query from ``$this``."""
    try:
        query = parse_query(select, prefixes)
    except KGError:  # the validator reports a constraint that does not parse; stay safe here
        return UNBOUNDED
    patterns = list(_patterns(query))
    if any(p is None for _s, p, _o in patterns):
        return UNBOUNDED
    predicate_variables = {p for _s, p, _o in patterns if isinstance(p, tree.Var)}
    reach = Reach(0)
    edges: list[tuple[object, object, int]] = []
    tied: list[tuple[object, object]] = []
    for s, p, o in patterns:
        if s in predicate_variables or not _is_variable(s):  # about a property, or a fixed subject
            names = _predicate_iris(p)
            if names is None:
                return UNBOUNDED
            reach.everywhere |= names
            continue
        hops, transitive = _hops(p)
        if hops is None:
            return UNBOUNDED
        reach.transitive |= transitive
        edges.append((s, o, hops))
        tied.append((s, p))
    this = tree.Var("this")
    forward: dict[object, int] = {this: 0}
    distance: dict[object, int] = {this: 0}
    for _ in edges:  # Bellman-Ford, undirected and following triples only, longest shortest path
        for s, o, hops in edges:
            for a, b in ((s, o), (o, s)):
                if a in distance and _is_variable(b) and distance.get(b, 10**9) > distance[a] + hops:
                    distance[b] = distance[a] + hops
            if s in forward and _is_variable(o) and forward.get(o, 10**9) > forward[s] + hops:
                forward[o] = forward[s] + hops
    for s, p in tied:
        if s not in distance:  # not tied to $this: its predicate is read everywhere
            names = _predicate_iris(p)
            if names is None:
                return UNBOUNDED
            reach.everywhere |= names
    # An edit changes a match only through a triple whose subject the pattern reaches: a pattern
    # of n hops from s reads the triples of nodes up to n-1 hops past s.
    reach.radius = max((distance[s] + max(hops - 1, 0) for s, _o, hops in edges if s in distance), default=0)
    reach.backward = any(s in distance and s not in forward for s, _p in tied) or any(
        _has_inverse(p) for _s, p in tied
    )
    return reach


def _is_variable(term: object) -> bool:
    """A variable, or a blank node of the query (which matches like one)."""
    return isinstance(term, tree.Var | tree.BNode | _Anonymous)


@dataclass(frozen=True)
class _Anonymous:
    """A ``[ … ]`` of the query: a node no other pattern names."""

    number: int


def _patterns(node: object) -> Iterator[tuple[object, object, object]]:
    """Every triple pattern of a query, as (subject, verb, object); the verb None for what is not
    a triple (an RDF collection)."""
    counter = iter(range(10**9))

    def node_key(term: object, out: list[tuple[object, object, object]]) -> object:
        if isinstance(term, tree.BNodeList):
            key = _Anonymous(next(counter))
            for prop in term.properties:
                for obj in prop.objects:
                    out.append((key, prop.verb, node_key(obj, out)))
            return key
        if isinstance(term, tree.Collection):
            out.append((None, None, None))
            return _Anonymous(next(counter))
        return term

    def walk(item: object) -> Iterator[tuple[object, object, object]]:
        if isinstance(item, tree.Triples):
            found: list[tuple[object, object, object]] = []
            subject = node_key(item.subject, found)
            for prop in item.properties:
                for obj in prop.objects:
                    found.append((subject, prop.verb, node_key(obj, found)))
            yield from found
        elif isinstance(item, list | tuple):
            for element in item:
                yield from walk(element)
        elif hasattr(item, "__dataclass_fields__"):
            for name in item.__dataclass_fields__:
                yield from walk(getattr(item, name))

    yield from walk(node)


def _hops(verb: object) -> tuple[int | None, set[str]]:
    """Hops a pattern's verb takes, and the predicates it may repeat (free hops)."""
    if isinstance(verb, tree.Iri | tree.Var):
        return 1, set()
    if isinstance(verb, tree.PathMod):
        if verb.modifier == "?":
            return _hops(verb.path)
        names = _predicate_iris(verb.path)
        return (0, names) if names is not None else (None, set())
    if isinstance(verb, tree.PathInv):
        return _hops(verb.path)
    if isinstance(verb, tree.PathSeq | tree.PathAlt):
        parts = [_hops(p) for p in (verb.steps if isinstance(verb, tree.PathSeq) else verb.options)]
        if any(h is None for h, _ in parts):
            return None, set()
        counts = [h for h, _ in parts if h is not None]
        total = sum(counts) if isinstance(verb, tree.PathSeq) else max(counts)
        return total, set().union(*(names for _, names in parts))
    return None, set()


def _has_inverse(verb: object) -> bool:
    if isinstance(verb, tree.PathInv):
        return True
    if isinstance(verb, tree.PathMod):
        return _has_inverse(verb.path)
    if isinstance(verb, tree.PathSeq):
        return any(_has_inverse(p) for p in verb.steps)
    if isinstance(verb, tree.PathAlt):
        return any(_has_inverse(p) for p in verb.options)
    return False


def _predicate_iris(verb: object) -> set[str] | None:
    if isinstance(verb, tree.Iri):
        return {verb.value}
    if isinstance(verb, tree.PathInv | tree.PathMod):
        return _predicate_iris(verb.path)
    if isinstance(verb, tree.PathSeq | tree.PathAlt):
        found: set[str] = set()
        for part in verb.steps if isinstance(verb, tree.PathSeq) else verb.options:
            inner = _predicate_iris(part)
            if inner is None:
                return None
            found |= inner
        return found
    return None
