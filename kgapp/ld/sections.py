"""The parts of an entity page beyond its statements: key facts, status history, related measures,
and which properties the shapes require of the resource's classes."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyoxigraph as ox

from kgapp import queries
from kgapp.ld.claims import PropertyGroup, RelatedMeasure, StatedValue, ValueContext
from kgapp.namespaces import Namespaces
from kgapp.store import KnowledgeStore
from kgapp.web.terms import Term, make_term, text_of
from kgapp.web.urls import UrlBuilder


def required_properties(store: KnowledgeStore) -> dict[str, set[str]]:
    """Class → properties its shapes require, read once per build."""
    return store.memo(_read_required_properties)


def _read_required_properties(store: KnowledgeStore) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for row in store.select(queries.load("ld/required_properties")):
        found[row["class"].value].add(row["property"].value)
    return found


def required_of(store: KnowledgeStore, types: list[StatedValue]) -> set[str]:
    """The properties shapes require of a resource with these types."""
    by_class = required_properties(store)
    return {p for t in types for p in by_class.get(t.value.value, set())}


def key_facts(groups: list[PropertyGroup], namespaces: Namespaces, required: set[str]) -> list[PropertyGroup]:
    """The relations our own ontology defines, as asserted (not inferred), outgoing first.

    Standard vocabulary (labels, types, the super-properties reasoning adds) stays in the
    full list below them; provenance links (stated in) have their own section.
    """
    ours = str(namespaces.hkus)
    excluded = {ours + "statedIn"}
    chosen = [
        g
        for g in groups
        if g.property.startswith(ours)
        and g.property not in excluded
        and any(not v.inferred_only for v in g.values)
    ]
    for group in chosen:
        group.required = group.direction == "out" and group.property in required
    return sorted(chosen, key=lambda g: (g.direction != "out", not g.required))


def status_history(incoming: list[PropertyGroup], namespaces: Namespaces) -> list[StatedValue]:
    """The events that affect the resource and give its resulting status, oldest first."""
    affects = str(namespaces.hkus) + "affects"
    changes = [
        v for g in incoming if g.property == affects for v in g.values if v.context and v.context.status
    ]
    return sorted(changes, key=_date_then_label)


def _date_then_label(value: StatedValue) -> tuple[str, str]:
    context = value.context or ValueContext()
    return (context.date or "", value.value.label)


def related_measures(
    store: KnowledgeStore, urls: UrlBuilder, iri: str, groups: list[PropertyGroup]
) -> list[RelatedMeasure]:
    """Measures one step away, or two through a fact; the facts are among ``groups``' values."""
    neighbours = {v.value.value: v.value for g in groups for v in g.values}
    rows = store.select(queries.load("ld/related_measures"), bindings={"this": ox.NamedNode(iri)})
    aspects: dict[Any, dict[str, Any]] = defaultdict(dict)
    vias: dict[Any, list[Term]] = defaultdict(list)
    for row in rows:
        measure, key, value = row["measure"], row["key"].value, row.get("x")
        if key == "via":
            if value is not None and value.value in neighbours:
                vias[measure].append(neighbours[value.value])
        elif value is not None and key not in aspects[measure]:
            aspects[measure][key] = value
    found = []
    for measure in dict.fromkeys(row["measure"] for row in rows):
        term = make_term(measure, urls, aspects[measure].get("label"))
        via = sorted(vias[measure], key=Term.sort_key)
        found.append(
            RelatedMeasure(
                measure=term.value,
                label=term.label,
                type=text_of(aspects[measure].get("type")),
                start_date=text_of(aspects[measure].get("start")),
                via=[v.value for v in via],
                term=term,
                via_terms=via,
            )
        )
    return sorted(found, key=lambda m: (m.start_date or "", m.label.casefold()))
