"""The OWL 2 RL closure kept up to date by a commit, read from the store instead of memory.

The rule engine (:mod:`kgapp.reasoning.engine`) joins each triple it fires against an index of
the closure. For a commit, that index is the live store itself — its default graph (every
asserted and every inferred triple, once) and its entailment graph (what the closure holds but
no page shows: reflexive axioms, ``owl:Thing`` typing…) — with the changes of the run on top.
Nothing of the graph is loaded: a commit looks up what its triples touch, so its cost follows the
change, not the graph. The asserted triples are the store's hidden asserted graph, likewise.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kgapp.reasoning.index import Index, list_items
from kgapp.reasoning.terms import IntTriple, TermTable

Graph = ox.NamedNode | ox.DefaultGraph


class StoreIndex(Index):
    """The closure in ``graphs`` of ``store``, plus what was added and minus what was removed
    since it was opened, with the lookups :class:`kgapp.reasoning.index.Index` offers."""

    def __init__(self, store: ox.Store, table: TermTable, graphs: list[Graph]) -> None:
        super().__init__()
        self.store = store
        self.table = table
        self.graphs = graphs
        self.added = Index()
        self.removed = Index()
        self.subject_predicates = _Predicates(self, "subject")
        self.object_predicates = _Predicates(self, "object")
        self.sp = _ByPredicate(self, "subject")
        self.op = _ByPredicate(self, "object")
        # the store does not change while the index is used (a commit applies its delta after
        # reasoning), so what it answered once it answers again: a hundred triples of one
        # property ask the same questions about that property a hundred times
        self._objects_of: dict[tuple[int, int], frozenset[int]] = {}
        self._subjects_of: dict[tuple[int, int], frozenset[int]] = {}

    # The store ------------------------------------------------------------------------------
    def _term(self, term_id: int) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        return self.table.terms[term_id]

    def _stored(self, s: int | None, p: int | None, o: int | None) -> Iterator[IntTriple]:
        subject = self._term(s) if s is not None else None
        predicate = self._term(p) if p is not None else None
        obj = self._term(o) if o is not None else None
        if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode | None):
            return
        encode = self.table.id
        for graph in self.graphs:
            for quad in self.store.quads_for_pattern(subject, predicate, obj, graph):
                yield (encode(quad.subject), encode(quad.predicate), encode(quad.object))  # type: ignore[arg-type]

    def _in_store(self, s: int, p: int, o: int) -> bool:
        known = self._objects_of.get((s, p))
        if known is not None:
            return o in known
        return next(self._stored(s, p, o), None) is not None

    # Membership -----------------------------------------------------------------------------
    def has(self, s: int, p: int, o: int) -> bool:
        if self.added.has(s, p, o):
            return True
        return not self.removed.has(s, p, o) and self._in_store(s, p, o)

    def __contains__(self, triple: IntTriple) -> bool:
        return self.has(*triple)

    def __len__(self) -> int:
        raise TypeError("the closure in a store is not counted: it is looked up")

    def add(self, triple: IntTriple) -> bool:
        if self.has(*triple):
            return False
        if self.removed.has(*triple):
            self.removed.remove(triple)
        else:
            self.added.add(triple)
        if self.journal is not None:
            self.journal.setdefault(triple, False)
        return True

    def remove(self, triple: IntTriple) -> None:
        if self.added.has(*triple):
            self.added.remove(triple)
        elif self._in_store(*triple) and not self.removed.has(*triple):
            self.removed.add(triple)
        else:
            return
        if self.journal is not None:
            self.journal.setdefault(triple, True)

    # Lookups --------------------------------------------------------------------------------
    def objects(self, s: int, p: int) -> set[int] | frozenset[int]:
        stored = self._objects_of.get((s, p))
        if stored is None:
            stored = self._objects_of[(s, p)] = frozenset(o for _, _, o in self._stored(s, p, None))
        return (stored - self.removed.objects(s, p)) | self.added.objects(s, p)

    def subjects(self, p: int, o: int) -> set[int] | frozenset[int]:
        stored = self._subjects_of.get((p, o))
        if stored is None:
            stored = self._subjects_of[(p, o)] = frozenset(s for s, _, _ in self._stored(None, p, o))
        return (stored - self.removed.subjects(p, o)) | self.added.subjects(p, o)

    def pairs(self, p: int) -> list[tuple[int, int]]:
        removed = self.removed
        found = {(s, o) for s, _, o in self._stored(None, p, None) if not removed.has(s, p, o)}
        return list(found | set(self.added.pairs(p)))

    def triples(self) -> Iterator[IntTriple]:
        removed = self.removed
        seen: set[IntTriple] = set()
        for triple in self._stored(None, None, None):
            if triple not in seen and not removed.has(*triple):
                seen.add(triple)
                yield triple
        yield from (t for t in self.added.triples() if t not in seen)

    def items(self, head: int) -> list[int]:
        return list_items(self.objects, head)

    def mentioning(self, term: int) -> Iterator[IntTriple]:
        """Every triple with ``term`` as subject, predicate or object."""
        found: set[IntTriple] = set()
        for pattern in ((term, None, None), (None, None, term), (None, term, None)):
            found.update(t for t in self._stored(*pattern) if not self.removed.has(*t))
        found.update(self.added.mentioning(term))
        yield from found


class _Predicates(dict[int, set[int]]):
    """``subject_predicates`` / ``object_predicates``: the predicates a term is used with."""

    def __init__(self, index: StoreIndex, position: str) -> None:
        super().__init__()
        # a proxy: a reference back would make a cycle that keeps the store open until the
        # garbage collector runs, and only one store may hold the live directory
        self.index, self.position = weakref.proxy(index), position

    def get(self, term: int, default: Iterable[int] = ()) -> set[int]:  # type: ignore[override]
        index = self.index
        pattern = (term, None, None) if self.position == "subject" else (None, None, term)
        found = {p for s, p, o in index._stored(*pattern) if not index.removed.has(s, p, o)}
        overlay = (
            index.added.subject_predicates if self.position == "subject" else index.added.object_predicates
        )
        return found | overlay.get(term, set()) or set(default)


class _ByPredicate(dict[int, dict[int, set[int]]]):
    """``sp`` / ``op``: for a predicate, subject → objects (or object → subjects)."""

    def __init__(self, index: StoreIndex, position: str) -> None:
        super().__init__()
        # a proxy: a reference back would make a cycle that keeps the store open until the
        # garbage collector runs, and only one store may hold the live directory
        self.index, self.position = weakref.proxy(index), position

    def get(  # type: ignore[override]
        self, predicate: int, default: dict[int, set[int]] | None = None
    ) -> dict[int, set[int]]:
        grouped: dict[int, set[int]] = {}
        for s, o in self.index.pairs(predicate):
            key, value = (s, o) if self.position == "subject" else (o, s)
            grouped.setdefault(key, set()).add(value)
        return grouped or (default if default is not None else {})


class StoreAsserted(set[IntTriple]):
    """The asserted triples the rules start from: the store's hidden asserted graph, with the
    commit's own changes on top (what :class:`kgapp.reasoning.engine.RuleEngine` keeps as a set;
    it is looked up, never iterated)."""

    def __init__(self, store: ox.Store, table: TermTable, graph: ox.NamedNode) -> None:
        super().__init__()
        self.store, self.table, self.graph = store, table, graph
        self.added: set[IntTriple] = set()
        self.removed: set[IntTriple] = set()

    def __contains__(self, triple: object) -> bool:
        if triple in self.added:
            return True
        if triple in self.removed or not isinstance(triple, tuple):
            return False
        s, p, o = (self.table.terms[i] for i in triple)
        if isinstance(s, ox.Literal) or not isinstance(p, ox.NamedNode):
            return False
        return next(self.store.quads_for_pattern(s, p, o, self.graph), None) is not None

    def difference_update(self, *others: Iterable[object]) -> None:
        for triples in others:
            for triple in triples:
                self.added.discard(triple)
                self.removed.add(triple)  # type: ignore[arg-type]

    def update(self, *others: Iterable[IntTriple]) -> None:
        for triples in others:
            for triple in triples:
                self.removed.discard(triple)
                self.added.add(triple)
