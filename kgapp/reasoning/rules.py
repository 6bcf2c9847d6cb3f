"""The OWL 2 RL rules (W3C OWL 2 Profiles, section 4.3), fired one triple at a time.

:func:`fire` (with :func:`kgapp.reasoning.rules_schema.fire_schema` for the schema atoms)
finds every rule instance in which the given triple matches a body atom, joins the
other atoms against the index, and hands each head to ``emit`` (an inconsistency to ``error``).
Rules are named as in the specification. Like owlrl, the reference, the datatype rules are
left to the noise filter (they only type literals and datatypes) and ``eq-ref`` is not
materialized (``x owl:sameAs x`` changes nothing else but ``eq-diff1`` on ``x differentFrom x``,
which is checked directly).
"""

from __future__ import annotations

from collections.abc import Callable

from kgapp.reasoning.index import Index
from kgapp.reasoning.schema import Schema
from kgapp.reasoning.terms import (
    ALL_VALUES_FROM,
    ASSERTION_PROPERTY,
    ASYMMETRIC,
    CLASS,
    COMPLEMENT_OF,
    DATATYPE_PROPERTY,
    DIFFERENT_FROM,
    DISJOINT_WITH,
    DOMAIN,
    EQUIVALENT_CLASS,
    EQUIVALENT_PROPERTY,
    FUNCTIONAL,
    HAS_VALUE,
    INVERSE_FUNCTIONAL,
    INVERSE_OF,
    IRREFLEXIVE,
    MAX_CARDINALITY,
    MAX_QUALIFIED_CARDINALITY,
    NOTHING,
    OBJECT_PROPERTY,
    ON_CLASS,
    ON_PROPERTY,
    PROPERTY_DISJOINT,
    RANGE,
    RDF_PROPERTY,
    SAME_AS,
    SOME_VALUES_FROM,
    SOURCE_INDIVIDUAL,
    SUBCLASS,
    SUBPROPERTY,
    SYMMETRIC,
    TARGET_INDIVIDUAL,
    TARGET_VALUE,
    THING,
    TRANSITIVE,
    TYPE,
)

Emit = Callable[[int, int, int], None]
Error = Callable[..., None]  # (rule name, *term ids)
Cardinality = Callable[[int], int | None]


def both_ways(ix: Index, term: int, p: int) -> set[int]:
    return set(ix.objects(term, p)) | set(ix.subjects(p, term))


def same_all(emit: Emit, values: list[int]) -> None:
    for a in values:
        for b in values:
            if a != b:
                emit(a, SAME_AS, b)


def fire(
    ix: Index, schema: Schema, card: Cardinality, t: tuple[int, int, int], emit: Emit, err: Error
) -> None:
    s, p, o = t
    _property_rules(ix, schema, card, s, p, o, emit, err)
    if p == TYPE:
        _type_rules(ix, schema, card, s, o, emit, err)
    elif p == SAME_AS:
        if s != o:
            _same_as_rules(ix, schema, s, o, emit, err)
    elif p == DIFFERENT_FROM and (s == o or ix.has(s, SAME_AS, o) or ix.has(o, SAME_AS, s)):
        err("eq-diff1", s, o)


def _property_rules(
    ix: Index, schema: Schema, card: Cardinality, s: int, p: int, o: int, emit: Emit, err: Error
) -> None:
    """Rules in which ``(s p o)`` is the ``T(?x ?p ?y)`` atom, for any property ``p``."""
    for c in ix.objects(p, DOMAIN):  # prp-dom
        emit(s, TYPE, c)
    for c in ix.objects(p, RANGE):  # prp-rng
        emit(o, TYPE, c)
    for q in ix.objects(p, SUBPROPERTY):  # prp-spo1
        if q != p:
            emit(s, q, o)
    for q in both_ways(ix, p, EQUIVALENT_PROPERTY):  # prp-eqp1, prp-eqp2
        if q != p:
            emit(s, q, o)
    for q in ix.objects(p, INVERSE_OF):  # prp-inv1
        emit(o, q, s)
    for q in ix.subjects(INVERSE_OF, p):  # prp-inv2
        emit(o, q, s)
    kinds = ix.objects(p, TYPE)
    if kinds:
        if FUNCTIONAL in kinds:  # prp-fp
            same_all(emit, list(ix.objects(s, p)))
        if INVERSE_FUNCTIONAL in kinds:  # prp-ifp
            same_all(emit, list(ix.subjects(p, o)))
        if IRREFLEXIVE in kinds and s == o:
            err("prp-irp", s, p)
        if SYMMETRIC in kinds:
            emit(o, p, s)
        if ASYMMETRIC in kinds and ix.has(o, p, s):
            err("prp-asyp", p, s, o)
        if TRANSITIVE in kinds:  # prp-trp, both atoms
            for z in list(ix.objects(o, p)):
                emit(s, p, z)
            for w in list(ix.subjects(p, s)):
                emit(w, p, o)
    for q in both_ways(ix, p, PROPERTY_DISJOINT):  # prp-pdw
        if ix.has(s, q, o):
            err("prp-pdw", s, o, p, q)
    for group in schema.disjoint_property_groups.get(p, ()):  # prp-adp
        for q in group:
            if q != p and ix.has(s, q, o):
                err("prp-adp", s, o, p, q)
    for chain_property, chain, position in schema.chains_with.get(p, ()):  # prp-spo2
        chain_through(ix, chain_property, chain, position, s, o, emit)
    for classes in (schema.keys_with.get(p, ()),):  # prp-key
        for c in classes:
            if ix.has(s, TYPE, c):
                keys_match(ix, schema, c, s, emit)
    for restriction in ix.subjects(ON_PROPERTY, p):
        restriction_on_value(ix, card, restriction, p, s, o, emit, err)
    for x in ix.subjects(ASSERTION_PROPERTY, p):  # prp-npa1, prp-npa2
        if s in ix.objects(x, SOURCE_INDIVIDUAL) and (
            o in ix.objects(x, TARGET_INDIVIDUAL) or o in ix.objects(x, TARGET_VALUE)
        ):
            err("prp-npa", s, p, o)
    for y in ix.objects(s, SAME_AS):  # eq-rep-s
        emit(y, p, o)
    for y in ix.objects(p, SAME_AS):  # eq-rep-p
        emit(s, y, o)
    for y in ix.objects(o, SAME_AS):  # eq-rep-o
        emit(s, p, y)


def restriction_on_value(
    ix: Index, card: Cardinality, r: int, p: int, u: int, v: int, emit: Emit, err: Error
) -> None:
    """``(u p v)`` against a restriction on ``p``: cls-svf1/2, cls-avf, cls-hv2, cls-maxc, cls-maxqc."""
    for y in ix.objects(r, SOME_VALUES_FROM):
        if y == THING or ix.has(v, TYPE, y):
            emit(u, TYPE, r)
    if v in ix.objects(r, HAS_VALUE):
        emit(u, TYPE, r)
    if not ix.has(u, TYPE, r):
        return
    for y in ix.objects(r, ALL_VALUES_FROM):
        emit(v, TYPE, y)
    for n in ix.objects(r, MAX_CARDINALITY):
        if card(n) == 0:
            err("cls-maxc1", u, p, v)
        elif card(n) == 1:
            same_all(emit, list(ix.objects(u, p)))
    for n in ix.objects(r, MAX_QUALIFIED_CARDINALITY):
        for c in ix.objects(r, ON_CLASS):
            qualified = [y for y in ix.objects(u, p) if c == THING or ix.has(y, TYPE, c)]
            if card(n) == 0 and qualified:
                err("cls-maxqc1", u, p, v)
            elif card(n) == 1:
                same_all(emit, qualified)


def _type_rules(ix: Index, schema: Schema, card: Cardinality, x: int, c: int, emit: Emit, err: Error) -> None:
    """Rules in which ``(x rdf:type c)`` is an atom."""
    for d in ix.objects(c, SUBCLASS):  # cax-sco
        if d != c:
            emit(x, TYPE, d)
    for d in both_ways(ix, c, EQUIVALENT_CLASS):  # cax-eqc1, cax-eqc2
        if d != c:
            emit(x, TYPE, d)
    for d in both_ways(ix, c, DISJOINT_WITH):  # cax-dw
        if ix.has(x, TYPE, d):
            err("cax-dw", x, c, d)
    for group in schema.disjoint_class_groups.get(c, ()):  # cax-adc
        for d in group:
            if d != c and ix.has(x, TYPE, d):
                err("cax-adc", x, c, d)
    if c == NOTHING:
        err("cls-nothing2", x)
    for d in both_ways(ix, c, COMPLEMENT_OF):  # cls-com
        if ix.has(x, TYPE, d):
            err("cls-com", x, c, d)
    for intersection in schema.intersections_with.get(c, ()):  # cls-int1
        if all(ix.has(x, TYPE, m) for m in schema.intersections[intersection]):
            emit(x, TYPE, intersection)
    for member in schema.intersections.get(c, ()):  # cls-int2
        emit(x, TYPE, member)
    for union in schema.unions_with.get(c, ()):  # cls-uni
        emit(x, TYPE, union)
    for r in ix.subjects(SOME_VALUES_FROM, c):  # cls-svf1, as the T(?v type ?y) atom
        for p in ix.objects(r, ON_PROPERTY):
            for u in list(ix.subjects(p, x)):
                emit(u, TYPE, r)
    for p in ix.objects(c, ON_PROPERTY):  # x is an instance of a restriction
        for y in ix.objects(c, HAS_VALUE):  # cls-hv1
            emit(x, p, y)
        for v in list(ix.objects(x, p)):
            restriction_on_value(ix, card, c, p, x, v, emit, err)
    for r in ix.subjects(ON_CLASS, c):  # cls-maxqc, as the T(?y type ?c) atom
        for p in ix.objects(r, ON_PROPERTY):
            for u in list(ix.subjects(p, x)):
                if ix.has(u, TYPE, r):
                    restriction_on_value(ix, card, r, p, u, x, emit, err)
    for keys in schema.keys_of.get(c, ()):  # prp-key
        if keys:
            keys_match(ix, schema, c, x, emit)
    if c == CLASS:  # scm-cls
        emit(x, SUBCLASS, x)
        emit(x, EQUIVALENT_CLASS, x)
        emit(x, SUBCLASS, THING)
        emit(NOTHING, SUBCLASS, x)
    elif c in (OBJECT_PROPERTY, DATATYPE_PROPERTY, RDF_PROPERTY):  # scm-op, scm-dp
        emit(x, SUBPROPERTY, x)
        emit(x, EQUIVALENT_PROPERTY, x)


def _same_as_rules(ix: Index, schema: Schema, x: int, y: int, emit: Emit, err: Error) -> None:
    emit(y, SAME_AS, x)  # eq-sym
    for z in list(ix.objects(y, SAME_AS)):  # eq-trans
        if z != x:
            emit(x, SAME_AS, z)
    for w in list(ix.subjects(SAME_AS, x)):
        if w != y:
            emit(w, SAME_AS, y)
    for p in list(ix.subject_predicates.get(x, ())):  # eq-rep-s
        for o in list(ix.objects(x, p)):
            emit(y, p, o)
    for s, o in ix.pairs(x):  # eq-rep-p
        emit(s, y, o)
    for p in list(ix.object_predicates.get(x, ())):  # eq-rep-o
        for s in list(ix.subjects(p, x)):
            emit(s, p, y)
    if ix.has(x, DIFFERENT_FROM, y) or ix.has(y, DIFFERENT_FROM, x):
        err("eq-diff1", x, y)
    for group in schema.different_groups.get(x, ()):  # eq-diff2, eq-diff3
        if y in group:
            err("eq-diff2", x, y)


def chain_through(
    ix: Index, chain_property: int, chain: list[int], position: int, s: int, o: int, emit: Emit
) -> None:
    starts, ends = {s}, {o}
    for step in reversed(chain[:position]):
        starts = {w for node in starts for w in ix.subjects(step, node)}
    for step in chain[position + 1 :]:
        ends = {z for node in ends for z in ix.objects(node, step)}
    for start in starts:
        for end in ends:
            emit(start, chain_property, end)


def keys_match(ix: Index, schema: Schema, c: int, x: int, emit: Emit) -> None:
    for keys in schema.keys_of.get(c, ()):
        first, rest = keys[0], keys[1:]
        for value in list(ix.objects(x, first)):
            for y in list(ix.subjects(first, value)):
                if y != x and ix.has(y, TYPE, c) and all(ix.objects(x, k) & ix.objects(y, k) for k in rest):
                    emit(x, SAME_AS, y)
                    emit(y, SAME_AS, x)
