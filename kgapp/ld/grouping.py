"""From the rows of ``statements.rq`` to property groups: one row per statement and graph, each
carrying aspects of its value (label, date…) and of its property (label, definition…), read by
``value_aspects.rq`` and ``property_aspects.rq`` for exactly the values and properties found."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyoxigraph as ox

from kgapp import queries
from kgapp.ld.claims import PropertyGroup, StatedValue, ValueContext
from kgapp.ld.wording import heading
from kgapp.namespaces import Namespaces
from kgapp.readmodel.fulltext import VOCABULARY_TYPES
from kgapp.readmodel.names import kinds, labels
from kgapp.readmodel.provenance import Passages, SourceDocument, provenance_of
from kgapp.readmodel.terms import make_term, text_of
from kgapp.store import KnowledgeStore
from kgapp.web.urls import UrlBuilder

# Aspect keys of the aspects queries' rows → names the row builder reads.
VALUE_ASPECTS = {
    "label": "valueLabel",
    "date": "valueDate",
    "end": "valueEnd",
    "status": "valueStatus",
    "quote": "valueQuote",
    "event": "valueIsEvent",
}
PROPERTY_ASPECTS = {
    "label": "propertyLabel",
    "definition": "propertyDefinition",
    "inverseLabel": "inverseLabel",
}


# Structure of the citations, shown as each source's passage rather than as rows of blank nodes.
CITATION_PROPERTIES = ("citation", "inDocument")
VIA_CITATION = "viaCitation"  # a row that links a fact to what its citation credits, not a triple


def statement_rows(store: KnowledgeStore, iri: str) -> list[dict[str, Any]]:
    """One row per statement and graph, each carrying the aspects of its value and property.

    Blank nodes are no rows: a citation's content is each source's passage, a fact a citation
    credits to the thing is a row of its own (``credited.rq``), and what a source denies (an
    OWL negative property assertion) has its section (:func:`denials`)."""
    this = ox.NamedNode(iri)
    found = store.select_about(queries.load("ld/statements"), bindings={"this": this})
    neighbours = [row["value"] for row in found if isinstance(row["value"], ox.NamedNode)]
    values = _aspects(
        store.select_each(queries.load("ld/value_aspects"), "value", neighbours), "value", VALUE_ASPECTS
    )
    used = [row["property"] for row in found]
    properties = _aspects(
        store.select_each(queries.load("ld/property_aspects"), "property", used), "property", PROPERTY_ASPECTS
    )
    citing = {str(store.namespaces.hkus) + name for name in CITATION_PROPERTIES}
    statements = [
        row
        for row in found
        if row["property"].value not in citing and not isinstance(row["value"], ox.BlankNode)
    ]
    names, types = labels(store), kinds(store)
    credited = [
        row | _named(row["value"], names) | {VIA_CITATION: True}
        for row in store.select_about(queries.load("ld/credited"), bindings={"this": this})
    ]
    return [
        row | values.get(row["value"], {}) | properties.get(row["property"], {}) | _kind(row["value"], types)
        for row in [*statements, *credited]
    ]


def _kind(value: Any, types: dict[str, str]) -> dict[str, Any]:
    """The label of a neighbour's asserted type ("export control"); none for ontology terms."""
    found = types.get(value.value) if isinstance(value, ox.NamedNode) else None
    return {"valueType": ox.Literal(found)} if found and found not in VOCABULARY_TYPES else {}


def _named(value: Any, names: dict[str, str]) -> dict[str, Any]:
    found = names.get(value.value)
    return {"valueLabel": ox.Literal(found)} if found else {}


def _aspects(rows: list[dict[str, Any]], kind: str, names: dict[str, str]) -> dict[Any, dict[str, Any]]:
    """``term → {name: value}`` from the rows of one kind; the earliest date, an English label."""
    found: dict[Any, dict[str, Any]] = defaultdict(dict)
    for row in rows:
        if row["kind"].value != kind or row["key"].value not in names:
            continue
        name, value = names[row["key"].value], row["x"]
        current = found[row[kind]].get(name)
        if current is None or _better(row["key"].value, value, current):
            found[row[kind]][name] = value
    return found


def _better(key: str, candidate: Any, current: Any) -> bool:
    if key == "date":
        return bool(candidate.value < current.value)
    if key in {"label", "status"}:
        english, was_english = getattr(candidate, "language", None) == "en", current.language == "en"
        return (english and not was_english) or (english == was_english and candidate.value < current.value)
    return bool(candidate.value < current.value)  # any fixed choice: stores answer in their own order


def group_rows(
    rows: list[dict[str, Any]],
    urls: UrlBuilder,
    namespaces: Namespaces,
    sources: dict[str, SourceDocument],
    passages: Passages | None = None,
) -> list[PropertyGroup]:
    """The rows as property groups, each value once with every graph that states it and, for a
    source, the passage where it tells of the fact (``this`` for a statement out of it, the
    other end for one into it)."""
    groups: dict[tuple[str, str], PropertyGroup] = {}
    values: dict[tuple[str, str], dict[Any, StatedValue]] = defaultdict(dict)
    for row in rows:
        key = (row["direction"].value, row["property"].value)
        if key not in groups:
            groups[key] = _new_group(row, urls, namespaces)
        value = row["value"]
        if value not in values[key]:
            stated = StatedValue(
                make_term(value, urls, row.get("valueLabel")), context=ValueContext.of_row(row)
            )
            values[key][value] = stated
            groups[key].values.append(stated)
        fact = row["this"].value if key[0] == "out" else value.value
        values[key][value].provenance.append(
            provenance_of(row["graph"].value, namespaces, sources, passages, fact)
        )
    for group in groups.values():
        group.values.sort(key=lambda v: v.value.sort_key())
        for stated in group.values:
            stated.provenance.sort(key=lambda p: (p.kind != "source", p.label))
    _qualify_homonyms(list(groups.values()), urls)
    return sorted(groups.values(), key=lambda g: (g.heading.casefold(), g.property))


def _new_group(row: dict[str, Any], urls: UrlBuilder, namespaces: Namespaces) -> PropertyGroup:
    term = make_term(row["property"], urls, row.get("propertyLabel"))
    direction = row["direction"].value
    inverse_label = text_of(row.get("inverseLabel"))
    return PropertyGroup(
        property=term.value,
        label=term.label,
        definition=text_of(row.get("propertyDefinition")),
        term=term,
        direction=direction,
        inverse_label=inverse_label,
        reading=heading(term.value, term.label, direction, inverse_label, namespaces),
        via_citation=VIA_CITATION in row,
    )


def _qualify_homonyms(groups: list[PropertyGroup], urls: UrlBuilder) -> None:
    """Properties that share a label (hkus:about, schema:about) get their prefixed name shown."""
    by_heading: dict[tuple[str, str], list[PropertyGroup]] = defaultdict(list)
    for group in groups:
        by_heading[(group.direction, group.heading.casefold())].append(group)
    for same in by_heading.values():
        if len(same) > 1:
            for group in same:
                group.qualifier = urls.compact(group.property)
