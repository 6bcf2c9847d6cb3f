"""The triple index the rules join on: by predicate, then subject or object."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator

from kgapp.reasoning.terms import FIRST, NIL, REST, IntTriple

EMPTY: frozenset[int] = frozenset()


class Index:
    """A set of int triples with the lookups the OWL 2 RL rules need."""

    def __init__(self, triples: Iterable[IntTriple] = ()) -> None:
        self.sp: dict[int, dict[int, set[int]]] = {}  # p → s → {o}
        self.op: dict[int, dict[int, set[int]]] = {}  # p → o → {s}
        self.subject_predicates: dict[int, set[int]] = {}  # s → {p}
        self.object_predicates: dict[int, set[int]] = {}  # o → {p}
        self.size = 0
        # while not None: each triple added or removed, with whether it was there before the first change
        self.journal: dict[IntTriple, bool] | None = None
        for triple in triples:
            self.add(triple)

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "journal"} | {"journal": None}

    def __len__(self) -> int:
        return self.size

    def __contains__(self, triple: IntTriple) -> bool:
        s, p, o = triple
        by_subject = self.sp.get(p)
        return by_subject is not None and o in by_subject.get(s, EMPTY)

    def has(self, s: int, p: int, o: int) -> bool:
        by_subject = self.sp.get(p)
        return by_subject is not None and o in by_subject.get(s, EMPTY)

    def add(self, triple: IntTriple) -> bool:
        s, p, o = triple
        objects = self.sp.setdefault(p, {}).setdefault(s, set())
        if o in objects:
            return False
        objects.add(o)
        if self.journal is not None:
            self.journal.setdefault(triple, False)
        self.op.setdefault(p, {}).setdefault(o, set()).add(s)
        self.subject_predicates.setdefault(s, set()).add(p)
        self.object_predicates.setdefault(o, set()).add(p)
        self.size += 1
        return True

    def remove(self, triple: IntTriple) -> None:
        s, p, o = triple
        objects = self.sp.get(p, {}).get(s)
        if objects is None or o not in objects:
            return
        objects.discard(o)
        if self.journal is not None:
            self.journal.setdefault(triple, True)
        subjects = self.op[p][o]
        subjects.discard(s)
        if not objects:
            del self.sp[p][s]
            self.subject_predicates[s].discard(p)
        if not subjects:
            del self.op[p][o]
            self.object_predicates[o].discard(p)
        self.size -= 1

    def objects(self, s: int, p: int) -> set[int] | frozenset[int]:
        by_subject = self.sp.get(p)
        return by_subject.get(s, EMPTY) if by_subject is not None else EMPTY

    def subjects(self, p: int, o: int) -> set[int] | frozenset[int]:
        by_object = self.op.get(p)
        return by_object.get(o, EMPTY) if by_object is not None else EMPTY

    def pairs(self, p: int) -> list[tuple[int, int]]:
        """Every (subject, object) of ``p``, as a list (safe to hold while the index grows)."""
        return [(s, o) for s, objects in self.sp.get(p, {}).items() for o in objects]

    def triples(self) -> Iterator[IntTriple]:
        for p, by_subject in self.sp.items():
            for s, objects in by_subject.items():
                for o in objects:
                    yield (s, p, o)

    def items(self, head: int) -> list[int]:
        return list_items(self.objects, head)

    def mentioning(self, term: int) -> Iterator[IntTriple]:
        """Every triple with ``term`` as subject, predicate or object."""
        for p in list(self.subject_predicates.get(term, ())):
            for o in list(self.objects(term, p)):
                yield (term, p, o)
        for p in list(self.object_predicates.get(term, ())):
            for s in list(self.subjects(p, term)):
                yield (s, p, term)
        for s, o in self.pairs(term):
            yield (s, term, o)


def list_items(objects: Callable[[int, int], Collection[int]], head: int) -> list[int]:
    """The members of the RDF list starting at ``head``, read with ``objects(subject, predicate)``
    (cycles and forks end the walk)."""
    members: list[int] = []
    seen: set[int] = set()
    node = head
    while node != NIL and node not in seen:
        seen.add(node)
        first = objects(node, FIRST)
        if len(first) != 1:
            break
        members.append(next(iter(first)))
        rest = objects(node, REST)
        if len(rest) != 1:
            break
        node = next(iter(rest))
    return members
