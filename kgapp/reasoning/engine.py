"""A forward-chaining OWL 2 RL engine on int triples, kept up to date by delete-and-rederive.

:meth:`RuleEngine.saturate` computes the closure one triple at a time (semi-naive: each triple
is joined against the index once, when it is added). :meth:`RuleEngine.update` takes asserted
triples out and in: what the removed triples could have contributed to is over-deleted, what
still has a derivation from the rest is derived again, and the added triples are saturated
(Gupta, Mumick and Subrahmanian's DRed). A change to a list-valued axiom or a restriction's
structure is applied by saturating from scratch, since lists are read once per run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

import kgapp.reasoning.rules as rules
from kgapp.reasoning.index import Index
from kgapp.reasoning.rules_schema import fire_schema
from kgapp.reasoning.schema import Schema
from kgapp.reasoning.terms import (
    ALL_DIFFERENT,
    ALL_DISJOINT_CLASSES,
    ALL_DISJOINT_PROPERTIES,
    ALL_VALUES_FROM,
    ASSERTION_PROPERTY,
    CHAIN,
    DISTINCT_MEMBERS,
    EQUIVALENT_PROPERTY,
    FIRST,
    HAS_KEY,
    HAS_VALUE,
    INTERSECTION_OF,
    INVERSE_OF,
    MAX_CARDINALITY,
    MAX_QUALIFIED_CARDINALITY,
    MEMBERS,
    ON_CLASS,
    ON_PROPERTY,
    ONE_OF,
    REST,
    SAME_AS,
    SOME_VALUES_FROM,
    SOURCE_INDIVIDUAL,
    SUBPROPERTY,
    SYMMETRIC,
    TARGET_INDIVIDUAL,
    TARGET_VALUE,
    TRANSITIVE,
    TYPE,
    UNION_OF,
    VOCABULARY,
    IntTriple,
    TermTable,
)

# Triples whose change is applied by a full saturation (they shape axioms rather than state facts).
STRUCTURAL_PREDICATES = frozenset(
    {FIRST, REST, ON_PROPERTY, ON_CLASS, SOME_VALUES_FROM, ALL_VALUES_FROM, HAS_VALUE, MAX_CARDINALITY,
     MAX_QUALIFIED_CARDINALITY, INTERSECTION_OF, UNION_OF, ONE_OF, CHAIN, HAS_KEY, MEMBERS,
     DISTINCT_MEMBERS, ASSERTION_PROPERTY, SOURCE_INDIVIDUAL, TARGET_INDIVIDUAL, TARGET_VALUE}
)  # fmt: skip
STRUCTURAL_TYPES = frozenset({ALL_DIFFERENT, ALL_DISJOINT_CLASSES, ALL_DISJOINT_PROPERTIES})


@dataclass(frozen=True)
class Clash:
    """An inconsistency: the OWL 2 RL rule whose body holds (its head is false) and its terms."""

    rule: str
    terms: tuple[int, ...]


def is_structural(triple: IntTriple) -> bool:
    return triple[1] in STRUCTURAL_PREDICATES or (triple[1] == TYPE and triple[2] in STRUCTURAL_TYPES)


class RuleEngine:
    PROGRESS_EVERY = 50_000

    def __init__(
        self,
        table: TermTable,
        asserted: Iterable[IntTriple],
        on_fired: Callable[[int], None] = lambda _: None,
    ) -> None:
        self.table = table
        self.on_fired = on_fired  # called with the number of triples fired since the last call
        self.asserted: set[IntTriple] = set(asserted)
        self.index = Index()
        self.schema = Schema()
        self.clashes: set[Clash] = set()
        self.changes: dict[IntTriple, bool] | None = None
        self._cardinalities: dict[int, int | None] = {}

    # Full closure ---------------------------------------------------------------------------
    def saturate(self) -> None:
        self.index = Index(self.asserted)
        self.schema = Schema.read(self.index)
        self.clashes = set()
        self._run(list(self.asserted))

    # Incremental ----------------------------------------------------------------------------
    def update(self, removed: Iterable[IntTriple], added: Iterable[IntTriple]) -> None:
        """Take ``removed`` out of the asserted triples and put ``added`` in; afterwards
        :attr:`changes` holds every triple whose place in the closure or among the asserted
        may have changed, with whether it was in the closure before (None after a saturation)."""
        removed = {t for t in removed if t in self.asserted}
        added = {t for t in added if t not in self.asserted}
        self.asserted.difference_update(removed)
        self.asserted.update(added)
        self.changes = None
        if any(is_structural(t) for t in removed | added):
            self.saturate()
            return
        self.clashes = set()
        journal: dict[IntTriple, bool] = {}
        self.index.journal = journal
        try:
            if removed:
                self._delete_and_rederive(removed)
            fresh = [t for t in added if self.index.add(t)]
            self._run(fresh)
        finally:
            self.index.journal = None
        for triple in removed | added:
            journal.setdefault(triple, triple in self.index)
        self.changes = journal

    def _delete_and_rederive(self, removed: set[IntTriple]) -> None:
        index = self.index
        over: set[IntTriple] = set()
        stack = [t for t in removed if t in index]

        def overdelete(s: int, p: int, o: int) -> None:
            if (s, p, o) in index and (s, p, o) not in over:
                stack.append((s, p, o))

        while stack:
            triple = stack.pop()
            if triple not in over:
                over.add(triple)
                fire(index, self.schema, self._cardinality, triple, overdelete, lambda *_: None)
        for triple in over:
            index.remove(triple)
        if over <= removed and all(self._underivable(t) for t in over):
            return  # nothing came of them, and no rule could give them back: nothing to rederive
        still_asserted = [t for t in over if t in self.asserted]
        for triple in still_asserted:
            index.add(triple)
        # Every rule head's subject occurs in some body atom (for cls-oo and scm-uni only in a list,
        # so their axiom is a seed too): firing the triples around each subject finds every
        # over-deleted triple that still has a derivation.
        seeds = set(still_asserted)
        for s, _p, o in over:
            seeds.update(index.mentioning(s))
            for axiom in (ONE_OF, UNION_OF):
                seeds.update((o, axiom, x) for x in index.objects(o, axiom))
        self._run(list(seeds))

    def _underivable(self, triple: IntTriple) -> bool:
        """Whether no OWL 2 RL rule can give ``triple`` back from what the closure still holds:
        its property is none of the language's own, no sub-, equivalent or inverse property
        holds between its terms, its property is not symmetric with the reverse held, nor
        transitive, chained or restricted, and none of its terms has an owl:sameAs."""
        s, p, o = triple
        if p < len(VOCABULARY):
            return False
        ix = self.index
        kinds = ix.objects(p, TYPE)
        if TRANSITIVE in kinds or ix.objects(p, CHAIN) or ix.subjects(ON_PROPERTY, p):
            return False
        if SYMMETRIC in kinds and ix.has(o, p, s):
            return False
        alike = (
            ix.subjects(SUBPROPERTY, p)
            | ix.objects(p, EQUIVALENT_PROPERTY)
            | ix.subjects(EQUIVALENT_PROPERTY, p)
        )
        if any(ix.has(s, q, o) for q in alike if q != p):
            return False
        if any(ix.has(o, q, s) for q in ix.objects(p, INVERSE_OF) | ix.subjects(INVERSE_OF, p)):
            return False
        return not any(ix.objects(term, SAME_AS) - {term} for term in (s, p, o))

    # The loop -------------------------------------------------------------------------------
    def _run(self, inserted: list[IntTriple]) -> None:
        """Fire ``inserted`` (already in the index), then everything they lead to."""
        index, schema, table = self.index, self.schema, self.table
        pending: list[IntTriple] = []

        def emit(s: int, p: int, o: int) -> None:
            if not index.has(s, p, o) and not table.is_literal(p):
                pending.append((s, p, o))

        def clash(rule: str, *terms: int) -> None:
            self.clashes.add(Clash(rule, terms))

        fired = 0
        for triple in inserted:
            fire(index, schema, self._cardinality, triple, emit, clash)
            fired += 1
            if fired == self.PROGRESS_EVERY:
                self.on_fired(fired)
                fired = 0
        while pending:
            triple = pending.pop()
            if index.add(triple):
                fire(index, schema, self._cardinality, triple, emit, clash)
                fired += 1
                if fired == self.PROGRESS_EVERY:
                    self.on_fired(fired)
                    fired = 0
        self.on_fired(fired)

    def _cardinality(self, term: int) -> int | None:
        if term not in self._cardinalities:
            literal = self.table.terms[term]
            value: int | None = None
            if isinstance(literal, ox.Literal):
                try:
                    value = int(literal.value)
                except ValueError:
                    value = None
            self._cardinalities[term] = value
        return self._cardinalities[term]

    # Results --------------------------------------------------------------------------------
    def derived(self) -> Iterable[IntTriple]:
        """Every triple of the closure that is not asserted."""
        asserted = self.asserted
        return (t for t in self.index.triples() if t not in asserted)


def fire(
    ix: Index,
    schema: Schema,
    card: rules.Cardinality,
    t: tuple[int, int, int],
    emit: rules.Emit,
    err: rules.Error,
) -> None:
    """Every OWL 2 RL rule instance ``t`` takes part in: the instance atoms, then the schema atoms."""
    rules.fire(ix, schema, card, t, emit, err)
    fire_schema(ix, schema, card, *t, emit, err)
