"""OWL 2 RL rules fired by a schema triple: the axiom atom of the prp-/cls-/cax- rules (applied
to every instance already known) and the scm- rules of table 9."""

from __future__ import annotations

from collections.abc import Callable

import kgapp.reasoning.rules as rules
from kgapp.reasoning.index import Index
from kgapp.reasoning.schema import Schema
from kgapp.reasoning.terms import (
    ALL_DIFFERENT,
    ALL_DISJOINT_CLASSES,
    ALL_DISJOINT_PROPERTIES,
    ALL_VALUES_FROM,
    ASYMMETRIC,
    CHAIN,
    COMPLEMENT_OF,
    DISJOINT_WITH,
    DOMAIN,
    EQUIVALENT_CLASS,
    EQUIVALENT_PROPERTY,
    FUNCTIONAL,
    HAS_KEY,
    HAS_VALUE,
    INTERSECTION_OF,
    INVERSE_FUNCTIONAL,
    INVERSE_OF,
    IRREFLEXIVE,
    MAX_CARDINALITY,
    MAX_QUALIFIED_CARDINALITY,
    ON_PROPERTY,
    ONE_OF,
    PROPERTY_DISJOINT,
    RANGE,
    SAME_AS,
    SOME_VALUES_FROM,
    SUBCLASS,
    SUBPROPERTY,
    SYMMETRIC,
    TRANSITIVE,
    TYPE,
    UNION_OF,
)

Emit = Callable[[int, int, int], None]


def fire_schema(
    ix: Index,
    schema: Schema,
    card: Callable[[int], int | None],
    s: int,
    p: int,
    o: int,
    emit: Emit,
    err: Callable[..., None],
) -> None:
    if p in (DOMAIN, RANGE):
        for x, y in ix.pairs(s):  # prp-dom, prp-rng
            emit(x if p == DOMAIN else y, TYPE, o)
        for c2 in ix.objects(o, SUBCLASS):  # scm-dom1, scm-rng1
            if c2 != o:
                emit(s, p, c2)
        for p1 in ix.subjects(SUBPROPERTY, s):  # scm-dom2, scm-rng2
            if p1 != s:
                emit(p1, p, o)
    elif p == SUBPROPERTY:
        _subproperty(ix, s, o, emit)
    elif p == SUBCLASS:
        _subclass(ix, s, o, emit)
    elif p == EQUIVALENT_CLASS and s != o:
        for a, b in ((s, o), (o, s)):
            for x in list(ix.subjects(TYPE, a)):  # cax-eqc1, cax-eqc2
                emit(x, TYPE, b)
            emit(a, SUBCLASS, b)  # scm-eqc1
    elif p == EQUIVALENT_PROPERTY and s != o:
        for a, b in ((s, o), (o, s)):
            for x, y in ix.pairs(a):  # prp-eqp1, prp-eqp2
                emit(x, b, y)
            emit(a, SUBPROPERTY, b)  # scm-eqp1
    elif p == INVERSE_OF:
        for a, b in ((s, o), (o, s)):
            for x, y in ix.pairs(a):  # prp-inv1, prp-inv2
                emit(y, b, x)
    elif p in (DISJOINT_WITH, COMPLEMENT_OF):
        for x in list(ix.subjects(TYPE, s)):  # cax-dw, cls-com
            if ix.has(x, TYPE, o):
                err("cax-dw" if p == DISJOINT_WITH else "cls-com", x, s, o)
    elif p == PROPERTY_DISJOINT:
        for x, y in ix.pairs(s):  # prp-pdw
            if ix.has(x, o, y):
                err("prp-pdw", x, y, s, o)
    elif p == TYPE:
        _typed_axiom(ix, s, o, emit, err)
    elif p in (SOME_VALUES_FROM, ALL_VALUES_FROM, HAS_VALUE, MAX_CARDINALITY, MAX_QUALIFIED_CARDINALITY):
        _restriction_axiom(ix, schema, card, s, p, o, emit, err)
    elif p in (INTERSECTION_OF, UNION_OF, ONE_OF):
        members = ix.items(o)
        for member in members:
            if p == INTERSECTION_OF:
                emit(s, SUBCLASS, member)  # scm-int
                for y in list(ix.subjects(TYPE, s)):  # cls-int2
                    emit(y, TYPE, member)
            elif p == UNION_OF:
                emit(member, SUBCLASS, s)  # scm-uni
                for y in list(ix.subjects(TYPE, member)):  # cls-uni
                    emit(y, TYPE, s)
            else:
                emit(member, TYPE, s)  # cls-oo
        if p == INTERSECTION_OF and members:  # cls-int1
            for y in list(ix.subjects(TYPE, members[0])):
                if all(ix.has(y, TYPE, m) for m in members):
                    emit(y, TYPE, s)
    elif p == CHAIN:
        chain = ix.items(o)
        if chain:
            for x, y in ix.pairs(chain[0]):  # prp-spo2
                rules.chain_through(ix, s, chain, 0, x, y, emit)
    elif p == HAS_KEY:
        for x in list(ix.subjects(TYPE, s)):  # prp-key
            rules.keys_match(ix, schema, s, x, emit)


def _subproperty(ix: Index, p1: int, p2: int, emit: Emit) -> None:
    if p1 != p2:
        for x, y in ix.pairs(p1):  # prp-spo1
            emit(x, p2, y)
        for p3 in list(ix.objects(p2, SUBPROPERTY)):  # scm-spo, as the first atom
            if p3 != p1:
                emit(p1, SUBPROPERTY, p3)
        for p0 in list(ix.subjects(SUBPROPERTY, p1)):  # scm-spo, as the second atom
            if p0 not in (p1, p2):
                emit(p0, SUBPROPERTY, p2)
        for kind in (DOMAIN, RANGE):  # scm-dom2, scm-rng2, as the subPropertyOf atom
            for c in ix.objects(p2, kind):
                emit(p1, kind, c)
    if ix.has(p2, SUBPROPERTY, p1):  # scm-eqp2
        emit(p1, EQUIVALENT_PROPERTY, p2)
        emit(p2, EQUIVALENT_PROPERTY, p1)
    for c1 in list(ix.subjects(ON_PROPERTY, p1)):  # scm-hv, scm-svf2, scm-avf2
        for c2 in list(ix.subjects(ON_PROPERTY, p2)):
            if ix.objects(c1, HAS_VALUE) & ix.objects(c2, HAS_VALUE):
                emit(c1, SUBCLASS, c2)
            if ix.objects(c1, SOME_VALUES_FROM) & ix.objects(c2, SOME_VALUES_FROM):
                emit(c1, SUBCLASS, c2)
            if ix.objects(c1, ALL_VALUES_FROM) & ix.objects(c2, ALL_VALUES_FROM):
                emit(c2, SUBCLASS, c1)


def _subclass(ix: Index, c1: int, c2: int, emit: Emit) -> None:
    if c1 != c2:
        for x in list(ix.subjects(TYPE, c1)):  # cax-sco
            emit(x, TYPE, c2)
        for c3 in list(ix.objects(c2, SUBCLASS)):  # scm-sco, as the first atom
            if c3 != c1:
                emit(c1, SUBCLASS, c3)
        for c0 in list(ix.subjects(SUBCLASS, c1)):  # scm-sco, as the second atom
            if c0 not in (c1, c2):
                emit(c0, SUBCLASS, c2)
        for kind in (DOMAIN, RANGE):  # scm-dom1, scm-rng1, as the subClassOf atom
            for p in list(ix.subjects(kind, c1)):
                emit(p, kind, c2)
    if ix.has(c2, SUBCLASS, c1):  # scm-eqc2
        emit(c1, EQUIVALENT_CLASS, c2)
        emit(c2, EQUIVALENT_CLASS, c1)
    for restriction_kind in (SOME_VALUES_FROM, ALL_VALUES_FROM):  # scm-svf1, scm-avf1
        for r1 in list(ix.subjects(restriction_kind, c1)):
            for r2 in list(ix.subjects(restriction_kind, c2)):
                if ix.objects(r1, ON_PROPERTY) & ix.objects(r2, ON_PROPERTY):
                    emit(r1, SUBCLASS, r2)


def _typed_axiom(ix: Index, x: int, kind: int, emit: Emit, err: Callable[..., None]) -> None:
    """A property typed functional, symmetric…, or an all-different/all-disjoint axiom."""
    if kind == FUNCTIONAL:
        for objects in list(ix.sp.get(x, {}).values()):
            rules.same_all(emit, list(objects))
    elif kind == INVERSE_FUNCTIONAL:
        for subjects in list(ix.op.get(x, {}).values()):
            rules.same_all(emit, list(subjects))
    elif kind in (IRREFLEXIVE, SYMMETRIC, ASYMMETRIC, TRANSITIVE):
        for a, b in ix.pairs(x):
            if kind == IRREFLEXIVE and a == b:
                err("prp-irp", a, x)
            elif kind == SYMMETRIC:
                emit(b, x, a)
            elif kind == ASYMMETRIC and ix.has(b, x, a):
                err("prp-asyp", x, a, b)
            elif kind == TRANSITIVE:
                for z in ix.objects(b, x):
                    emit(a, x, z)
    elif kind in (ALL_DIFFERENT, ALL_DISJOINT_CLASSES, ALL_DISJOINT_PROPERTIES):
        from kgapp.reasoning.schema import Schema

        schema = Schema.read(ix)
        groups = {
            ALL_DIFFERENT: schema.different_groups,
            ALL_DISJOINT_CLASSES: schema.disjoint_class_groups,
            ALL_DISJOINT_PROPERTIES: schema.disjoint_property_groups,
        }[kind]
        _check_groups(ix, kind, groups, err)


def _check_groups(ix: Index, kind: int, groups: dict[int, list[set[int]]], err: Callable[..., None]) -> None:
    for member, member_groups in groups.items():
        for group in member_groups:
            for other in group:
                if other == member:
                    continue
                if kind == ALL_DIFFERENT and ix.has(member, SAME_AS, other):
                    err("eq-diff2", member, other)
                elif kind == ALL_DISJOINT_CLASSES:
                    for x in ix.subjects(TYPE, member):
                        if ix.has(x, TYPE, other):
                            err("cax-adc", x, member, other)
                elif kind == ALL_DISJOINT_PROPERTIES:
                    for x, y in ix.pairs(member):
                        if ix.has(x, other, y):
                            err("prp-adp", x, y, member, other)


def _restriction_axiom(
    ix: Index,
    schema: Schema,
    card: Callable[[int], int | None],
    r: int,
    p: int,
    y: int,
    emit: Emit,
    err: Callable[..., None],
) -> None:
    for prop in list(ix.objects(r, ON_PROPERTY)):
        for u, v in ix.pairs(prop):  # the instance rules, for every use of the property
            rules.restriction_on_value(ix, card, r, prop, u, v, emit, err)
        if p == HAS_VALUE:
            for u in list(ix.subjects(TYPE, r)):  # cls-hv1
                emit(u, prop, y)
        if p in (SOME_VALUES_FROM, ALL_VALUES_FROM, HAS_VALUE):  # scm-svf/avf/hv, this axiom as either side
            for r2 in list(ix.subjects(p, y)) if p == HAS_VALUE else []:
                for p2 in ix.objects(r2, ON_PROPERTY):
                    if ix.has(prop, SUBPROPERTY, p2):
                        emit(r, SUBCLASS, r2)
                    if ix.has(p2, SUBPROPERTY, prop):
                        emit(r2, SUBCLASS, r)
            if p != HAS_VALUE:
                _scm_value_restrictions(ix, r, p, y, prop, emit)


def _scm_value_restrictions(ix: Index, r: int, p: int, y: int, prop: int, emit: Emit) -> None:
    """scm-svf1/2 and scm-avf1/2 with ``r`` as either restriction."""
    for r2 in list(ix.subjects(ON_PROPERTY, prop)):  # same property, related fillers (svf1/avf1)
        for y2 in ix.objects(r2, p):
            if ix.has(y, SUBCLASS, y2):
                emit(r, SUBCLASS, r2)
            if ix.has(y2, SUBCLASS, y):
                emit(r2, SUBCLASS, r)
    for r2 in list(ix.subjects(p, y)):  # same filler, related properties (svf2/avf2)
        for p2 in ix.objects(r2, ON_PROPERTY):
            sub, sup = (r, r2) if p == SOME_VALUES_FROM else (r2, r)
            if ix.has(prop, SUBPROPERTY, p2):
                emit(sub, SUBCLASS, sup)
            sub, sup = (r2, r) if p == SOME_VALUES_FROM else (r, r2)
            if ix.has(p2, SUBPROPERTY, prop):
                emit(sub, SUBCLASS, sup)
