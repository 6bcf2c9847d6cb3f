"""What the list-valued axioms say, read once per run: intersections, unions, chains, keys and
the all-disjoint/all-different groups. Lists are asserted (no rule derives rdf:first/rest), so
they are read from the index before the rules fire and kept as plain Python structures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kgapp.reasoning.index import Index
from kgapp.reasoning.terms import (
    ALL_DIFFERENT,
    ALL_DISJOINT_CLASSES,
    ALL_DISJOINT_PROPERTIES,
    CHAIN,
    DISTINCT_MEMBERS,
    HAS_KEY,
    INTERSECTION_OF,
    MEMBERS,
    TYPE,
    UNION_OF,
)


@dataclass
class Schema:
    intersections: dict[int, list[int]] = field(default_factory=dict)  # class → members
    intersections_with: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    unions_with: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))  # member → unions
    chains_with: dict[int, list[tuple[int, list[int], int]]] = field(
        default_factory=lambda: defaultdict(list)
    )  # property → (chain property, chain, position)
    keys_of: dict[int, list[list[int]]] = field(default_factory=lambda: defaultdict(list))  # class → keys
    keys_with: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))  # property → classes
    different_groups: dict[int, list[set[int]]] = field(default_factory=lambda: defaultdict(list))
    disjoint_class_groups: dict[int, list[set[int]]] = field(default_factory=lambda: defaultdict(list))
    disjoint_property_groups: dict[int, list[set[int]]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def read(cls, ix: Index) -> Schema:
        schema = cls()
        for c, head in ix.pairs(INTERSECTION_OF):
            members = ix.items(head)
            schema.intersections[c] = members
            for member in members:
                schema.intersections_with[member].append(c)
        for c, head in ix.pairs(UNION_OF):
            for member in ix.items(head):
                schema.unions_with[member].append(c)
        for p, head in ix.pairs(CHAIN):
            chain = ix.items(head)
            for position, step in enumerate(chain):
                schema.chains_with[step].append((p, chain, position))
        for c, head in ix.pairs(HAS_KEY):
            keys = ix.items(head)
            if keys:
                schema.keys_of[c].append(keys)
                for key in keys:
                    schema.keys_with[key].append(c)
        schema._groups(ix, ALL_DIFFERENT, (MEMBERS, DISTINCT_MEMBERS), schema.different_groups)
        schema._groups(ix, ALL_DISJOINT_CLASSES, (MEMBERS,), schema.disjoint_class_groups)
        schema._groups(ix, ALL_DISJOINT_PROPERTIES, (MEMBERS,), schema.disjoint_property_groups)
        return schema

    @staticmethod
    def _groups(ix: Index, kind: int, predicates: tuple[int, ...], into: dict[int, list[set[int]]]) -> None:
        for axiom in ix.subjects(TYPE, kind):
            for predicate in predicates:
                for head in ix.objects(axiom, predicate):
                    group = set(ix.items(head))
                    for member in group:
                        into[member].append(group)
