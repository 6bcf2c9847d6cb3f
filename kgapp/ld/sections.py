"""The parts of an entity page beyond its statements: key facts and what no source states, figures
with their units, related measures, and which properties the shapes require of the resource's
classes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

import pyoxigraph as ox

from kgapp import queries
from kgapp.ld.claims import Denial, PropertyGroup, RelatedMeasure, StatedValue
from kgapp.namespaces import Namespaces
from kgapp.readmodel.figures import formatted, units
from kgapp.readmodel.names import kinds, labels
from kgapp.readmodel.provenance import source_documents
from kgapp.readmodel.terms import Term, last_resort, make_term, text_of
from kgapp.store import KnowledgeStore
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


# What readers look for on a page of a class (hkus local names), said plainly when no source states it.
EXPECTED = {
    "Measure": (("legalBasis", "No source states a legal basis for this measure."),),
}


def not_stated(type_iris: set[str], groups: list[PropertyGroup], namespaces: Namespaces) -> list[str]:
    """Sentences for the facts a reader expects of this kind of thing that no source gives."""
    ours = str(namespaces.hkus)
    present = {g.property for g in groups if g.direction == "out"}
    return [
        sentence
        for class_name, expected in EXPECTED.items()
        if ours + class_name in type_iris
        for local, sentence in expected
        if ours + local not in present
    ]


def denials(store: KnowledgeStore, urls: UrlBuilder, iri: str) -> list[Denial]:
    """What the sources deny about the thing, one entry per relation and other end."""
    names, documents = labels(store), source_documents(store)
    found: dict[tuple[str, str, str], Denial] = {}
    for row in store.select_about(queries.load("ld/denials"), bindings={"this": ox.NamedNode(iri)}):
        prop, other = row["property"].value, row["other"]
        key = (prop, other.value, row["direction"].value)
        label = names.get(other.value)
        denial = found.setdefault(
            key,
            Denial(
                relation=names.get(prop) or last_resort(prop, urls.namespaces),
                other=make_term(other, urls, ox.Literal(label) if label else None),
                outgoing=row["direction"].value == "out",
                sources=[],
            ),
        )
        document = documents.get(row["graph"].value)
        if document is not None and document not in denial.sources:
            denial.sources.append(document)
    return list(found.values())


def with_units(iri: str, groups: list[PropertyGroup], store: KnowledgeStore) -> None:
    """Print a figure's value with its unit or currency (the exact number stays the value)."""
    unit = units(store).get(iri)
    value_property = str(store.namespaces.hkus) + "value"
    for group in groups:
        if group.direction != "out" or group.property != value_property:
            continue
        for stated in group.values:
            stated.value = replace(stated.value, label=formatted(stated.value.value, unit))


def related_measures(
    store: KnowledgeStore, urls: UrlBuilder, iri: str, groups: list[PropertyGroup]
) -> list[RelatedMeasure]:
    """Measures one step away, or two through a fact; the facts are among ``groups``' values."""
    neighbours = {v.value.value: v.value for g in groups for v in g.values}
    stated_in = str(store.namespaces.hkus) + "statedIn"
    near = [
        ox.NamedNode(v.value.value)
        for g in groups
        if g.property != stated_in
        for v in g.values
        if v.value.kind == "iri"
    ]
    rows = store.select_each(
        queries.load("ld/related_measures"), "near", near, bindings={"this": ox.NamedNode(iri)}
    )
    vias: dict[Any, list[Term]] = defaultdict(list)
    for row in rows:
        via = row.get("via")
        if via is not None and via.value in neighbours:
            vias[row["measure"]].append(neighbours[via.value])
    measures = list(dict.fromkeys(row["measure"] for row in rows))
    types = kinds(store)
    aspects: dict[Any, dict[str, Any]] = defaultdict(dict)
    for row in store.select_each(queries.load("ld/measure_aspects"), "measure", measures):
        if row["key"].value not in aspects[row["measure"]]:
            aspects[row["measure"]][row["key"].value] = row["x"]
    found = []
    for measure in measures:
        term = make_term(measure, urls, aspects[measure].get("label"))
        via = sorted(vias[measure], key=Term.sort_key)
        found.append(
            RelatedMeasure(
                measure=term.value,
                label=term.label,
                type=types.get(measure.value),
                start_date=text_of(aspects[measure].get("start")),
                via=[v.value for v in via],
                term=term,
                via_terms=via,
            )
        )
    return sorted(found, key=lambda m: (m.start_date or "", m.label.casefold()))
