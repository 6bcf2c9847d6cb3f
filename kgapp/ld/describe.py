"""``describe(iri)``: everything the graph says about one resource, with who says so.

One query reads every statement in and out of the resource together with its named graph;
the rows are grouped here into properties, values and provenance. The same
:class:`Description` renders as HTML, as JSON and as RDF.
"""

from __future__ import annotations

import builtins
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgapp import queries
from kgapp.errors import NotFound
from kgapp.ld.provenance import Provenance, SourceDocument, provenance_of, source_documents
from kgapp.ld.terms import Term, local_name, make_term, text_of
from kgapp.ld.urls import UrlBuilder
from kgapp.namespaces import Namespaces
from kgapp.store import KnowledgeStore

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL_PROPERTIES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
)
DESCRIPTION_PROPERTIES = (
    "http://purl.org/dc/terms/description",
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://www.w3.org/2000/01/rdf-schema#comment",
)


@dataclass(frozen=True)
class ValueContext:
    """What the page shows beside a linked fact: its dates, status, quote and kind."""

    date: str | None = None
    end: str | None = None
    status: str | None = None
    quote: str | None = None
    type: str | None = None
    is_event: bool = False

    @classmethod
    def of_row(cls, row: dict[str, Any]) -> ValueContext | None:
        context = cls(
            date=text_of(row.get("valueDate")),
            end=text_of(row.get("valueEnd")),
            status=text_of(row.get("valueStatus")),
            quote=text_of(row.get("valueQuote")),
            type=text_of(row.get("valueType")),
            is_event=text_of(row.get("valueIsEvent")) == "true",
        )
        return None if context == cls() else context


@dataclass
class Statement:
    """One value of one property, with every graph that holds it."""

    value: Term
    provenance: list[Provenance] = field(default_factory=list)
    context: ValueContext | None = None

    @property
    def inferred_only(self) -> bool:
        return all(p.kind == "inferred" for p in self.provenance)

    @property
    def sources(self) -> list[SourceDocument]:
        return [p.source for p in self.provenance if p.source is not None]

    def to_dict(self) -> dict[str, Any]:
        return self.value.to_dict() | {"provenance": [p.to_dict() for p in self.provenance]}


@dataclass
class PropertyGroup:
    """All values of one property, outgoing (``this p value``) or incoming (``value p this``)."""

    property: Term
    direction: str
    definition: str | None
    inverse_label: str | None = None
    single_valued: bool = False
    required: bool = False  # a shape requires it of one of the resource's classes
    qualifier: str | None = None  # the prefixed name, when another property has the same label
    statements: list[Statement] = field(default_factory=list)
    conflict: bool = False

    @builtins.property
    def inferred_only(self) -> bool:
        return all(s.inferred_only for s in self.statements)

    @builtins.property
    def heading(self) -> str:
        if self.direction == "out":
            return self.property.label
        return self.inverse_label or f"{self.property.label} (of)"

    def to_dict(self) -> dict[str, Any]:
        return {
            "property": self.property.value,
            "label": self.property.label,
            "definition": self.definition,
            "conflict": self.conflict,
            "values": [s.to_dict() for s in self.statements],
        }


@dataclass(frozen=True)
class RelatedMeasure:
    """A measure linked to the resource directly or through one fact (``via``)."""

    measure: Term
    type: str | None
    start: str | None
    via: list[Term]

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure.value,
            "label": self.measure.label,
            "type": self.type,
            "startDate": self.start,
            "via": [v.value for v in self.via],
        }


@dataclass
class Description:
    iri: str
    href: str | None
    label: str
    description: str | None
    types: list[Statement]
    outgoing: list[PropertyGroup]
    incoming: list[PropertyGroup]
    sources: list[SourceDocument]
    key_facts: list[PropertyGroup] = field(default_factory=list)
    measures: list[RelatedMeasure] = field(default_factory=list)
    # Events that affect this resource and give its resulting status, oldest first.
    status_history: list[Statement] = field(default_factory=list)

    def group(self, property_iri: str) -> PropertyGroup | None:
        return next((g for g in self.outgoing if g.property.value == property_iri), None)

    @property
    def conflicts(self) -> list[PropertyGroup]:
        return [g for g in self.outgoing if g.conflict]

    def besides_key_facts(self, groups: list[PropertyGroup]) -> list[PropertyGroup]:
        """``groups`` without those shown under key facts (compared by identity)."""
        shown = {id(g) for g in self.key_facts}
        return [g for g in groups if id(g) not in shown]

    @property
    def incoming_count(self) -> int:
        return sum(len(g.statements) for g in self.incoming)

    @property
    def inferred_types(self) -> list[Statement]:
        return [t for t in self.types if t.inferred_only]

    @property
    def asserted_types(self) -> list[Statement]:
        return [t for t in self.types if not t.inferred_only]

    @property
    def events(self) -> list[Statement]:
        """The events this resource links to or is linked from, in date order."""
        found: dict[str, Statement] = {}
        for group in [*self.outgoing, *self.incoming]:
            for statement in group.statements:
                if statement.context and statement.context.is_event:
                    found.setdefault(statement.value.value, statement)
        return sorted(found.values(), key=_date_then_label)

    def to_dict(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "label": self.label,
            "description": self.description,
            "types": [t.to_dict() for t in self.types],
            "properties": [g.to_dict() for g in self.outgoing],
            "referencedBy": [g.to_dict() for g in self.incoming],
            "sources": [s.to_dict() for s in self.sources],
            "measures": [m.to_dict() for m in self.measures],
        }


def exists(store: KnowledgeStore, iri: str) -> bool:
    answer = store.query(queries.load("ld/exists"), bindings={"this": ox.NamedNode(iri)})
    return bool(answer)


# Aspect keys of describe.rq's "value" and "property" rows → names the row builder reads.
VALUE_ASPECTS = {
    "label": "valueLabel",
    "date": "valueDate",
    "end": "valueEnd",
    "status": "valueStatus",
    "quote": "valueQuote",
    "type": "valueType",
    "event": "valueIsEvent",
}
PROPERTY_ASPECTS = {
    "label": "propertyLabel",
    "definition": "propertyDefinition",
    "singleValued": "singleValued",
    "inverseLabel": "inverseLabel",
}


def statement_rows(store: KnowledgeStore, iri: str) -> list[dict[str, Any]]:
    """One row per statement and graph, each carrying the aspects of its value and property."""
    rows = store.select(queries.load("ld/describe"), bindings={"this": ox.NamedNode(iri)})
    values = _aspects(rows, "value", "value", VALUE_ASPECTS)
    properties = _aspects(rows, "property", "property", PROPERTY_ASPECTS)
    return [
        row | values.get(row["value"], {}) | properties.get(row["property"], {})
        for row in rows
        if row["kind"].value == "statement"
    ]


def _aspects(
    rows: list[dict[str, Any]], kind: str, subject: str, names: dict[str, str]
) -> dict[Any, dict[str, Any]]:
    """``term → {name: value}`` from the rows of one kind; the earliest date, an English label."""
    found: dict[Any, dict[str, Any]] = defaultdict(dict)
    for row in rows:
        if row["kind"].value != kind or row["key"].value not in names:
            continue
        name, value = names[row["key"].value], row["x"]
        current = found[row[subject]].get(name)
        if current is None or _better(row["key"].value, value, current):
            found[row[subject]][name] = value
    return found


def _better(key: str, candidate: Any, current: Any) -> bool:
    if key == "date":
        return bool(candidate.value < current.value)
    if key in {"label", "status", "type"}:
        return getattr(candidate, "language", None) == "en" and current.language != "en"
    return False


def describe(store: KnowledgeStore, namespaces: Namespaces, iri: str) -> Description:
    """Everything about ``iri``; raises NotFound when the store never mentions it."""
    urls = UrlBuilder(namespaces)
    rows = statement_rows(store, iri)
    if not rows:
        raise NotFound(f"nothing is known about <{iri}>", iri=iri)
    sources = source_documents(store, urls)
    groups = _group_rows(rows, urls, namespaces, sources)
    outgoing = [g for g in groups if g.direction == "out"]
    incoming = [g for g in groups if g.direction == "in"]
    _mark_conflicts(outgoing)
    types_group = next((g for g in outgoing if g.property.value == RDF_TYPE), None)
    return Description(
        iri=iri,
        href=urls.href(iri),
        label=_first_text(outgoing, LABEL_PROPERTIES) or local_name(iri),
        description=_first_text(outgoing, DESCRIPTION_PROPERTIES),
        types=types_group.statements if types_group else [],
        outgoing=[g for g in outgoing if g is not types_group],
        incoming=incoming,
        sources=_sources_stating(groups),
        key_facts=_key_facts(groups, namespaces, _required(store, types_group)),
        measures=related_measures(store, urls, iri, groups),
        status_history=_status_history(incoming, namespaces),
    )


def related_measures(
    store: KnowledgeStore, urls: UrlBuilder, iri: str, groups: list[PropertyGroup]
) -> list[RelatedMeasure]:
    """Measures one step away, or two through a fact; the facts are among ``groups``' values."""
    neighbours = {s.value.value: s.value for g in groups for s in g.statements}
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
    found = [
        RelatedMeasure(
            measure=make_term(measure, urls, aspects[measure].get("label")),
            type=text_of(aspects[measure].get("type")),
            start=text_of(aspects[measure].get("start")),
            via=sorted(vias[measure], key=Term.sort_key),
        )
        for measure in dict.fromkeys(row["measure"] for row in rows)
    ]
    return sorted(found, key=lambda m: (m.start or "", m.measure.label.casefold()))


def _group_rows(
    rows: list[dict[str, Any]],
    urls: UrlBuilder,
    namespaces: Namespaces,
    sources: dict[str, SourceDocument],
) -> list[PropertyGroup]:
    groups: dict[tuple[str, str], PropertyGroup] = {}
    statements: dict[tuple[str, str], dict[Any, Statement]] = defaultdict(dict)
    for row in rows:
        direction, prop = row["direction"].value, row["property"].value
        key = (direction, prop)
        if key not in groups:
            groups[key] = PropertyGroup(
                property=make_term(row["property"], urls, row.get("propertyLabel")),
                direction=direction,
                definition=text_of(row.get("propertyDefinition")),
                inverse_label=text_of(row.get("inverseLabel")),
                single_valued=text_of(row.get("singleValued")) in {"true", "1"},
            )
        value = row["value"]
        if value not in statements[key]:
            term = make_term(value, urls, row.get("valueLabel"))
            statement = Statement(term, context=ValueContext.of_row(row))
            statements[key][value] = statement
            groups[key].statements.append(statement)
        graph = row["graph"].value
        statements[key][value].provenance.append(provenance_of(graph, namespaces, sources))
    for group in groups.values():
        group.statements.sort(key=lambda s: s.value.sort_key())
        for statement in group.statements:
            statement.provenance.sort(key=lambda p: (p.kind != "source", p.label))
    _qualify_homonyms(list(groups.values()), urls)
    return sorted(groups.values(), key=lambda g: (g.heading.casefold(), g.property.value))


def _qualify_homonyms(groups: list[PropertyGroup], urls: UrlBuilder) -> None:
    """Properties that share a label (hkus:about, schema:about) get their prefixed name shown."""
    by_heading: dict[tuple[str, str], list[PropertyGroup]] = defaultdict(list)
    for group in groups:
        by_heading[(group.direction, group.heading.casefold())].append(group)
    for same in by_heading.values():
        if len(same) > 1:
            for group in same:
                group.qualifier = urls.compact(group.property.value)


def _mark_conflicts(groups: list[PropertyGroup]) -> None:
    """Flag a property the ontology marks single-valued when sources give incompatible values.

    As in the conflicts query, a coarser date that contains a finer one ("2020-06" and
    "2020-06-30") differs in precision only, and is no disagreement.
    """
    for group in groups:
        stated = [s.value.value for s in group.statements if s.sources]
        group.conflict = group.single_valued and any(
            not (a.startswith(b) or b.startswith(a)) for a in stated for b in stated
        )


def _status_history(incoming: list[PropertyGroup], namespaces: Namespaces) -> list[Statement]:
    affects = str(namespaces.hkus) + "affects"
    changes = [
        s
        for g in incoming
        if g.property.value == affects
        for s in g.statements
        if s.context and s.context.status
    ]
    return sorted(changes, key=_date_then_label)


def _date_then_label(statement: Statement) -> tuple[str, str]:
    date = statement.context.date if statement.context else None
    return (date or "", statement.value.label)


def _required(store: KnowledgeStore, types: PropertyGroup | None) -> set[str]:
    """The properties shapes require of the resource's classes."""
    by_class = required_properties(store)
    classes = [s.value.value for s in types.statements] if types else []
    return {p for c in classes for p in by_class.get(c, set())}


_required_cache: dict[Path, dict[str, set[str]]] = {}


def required_properties(store: KnowledgeStore) -> dict[str, set[str]]:
    """Class → properties its shapes require (read once per build)."""
    cached = _required_cache.get(store.build_dir)
    if cached is None:
        cached = defaultdict(set)
        for row in store.select(queries.load("ld/required_properties")):
            cached[row["class"].value].add(row["property"].value)
        _required_cache.clear()
        _required_cache[store.build_dir] = cached
    return cached


def _key_facts(
    groups: list[PropertyGroup], namespaces: Namespaces, required: set[str]
) -> list[PropertyGroup]:
    """The relations our own ontology defines, as asserted (not inferred), outgoing first.

    Standard vocabulary (labels, types, the super-properties reasoning adds) stays in the
    full list below them; provenance links (stated in) have their own section.
    """
    ours = str(namespaces.hkus)
    excluded = {ours + "statedIn"}
    chosen = [
        g
        for g in groups
        if g.property.value.startswith(ours)
        and g.property.value not in excluded
        and any(not s.inferred_only for s in g.statements)
    ]
    for group in chosen:
        group.required = group.direction == "out" and group.property.value in required
    return sorted(chosen, key=lambda g: (g.direction != "out", not g.required))


def _first_text(groups: list[PropertyGroup], properties: tuple[str, ...]) -> str | None:
    by_property = {g.property.value: g for g in groups}
    for prop in properties:
        group = by_property.get(prop)
        if group is None:
            continue
        english = [s for s in group.statements if (s.value.language or "en").startswith("en")]
        chosen = english or group.statements
        if chosen:
            return chosen[0].value.value
    return None


def _sources_stating(groups: list[PropertyGroup]) -> list[SourceDocument]:
    found = {src.iri: src for g in groups for s in g.statements for src in s.sources}
    return sorted(found.values(), key=lambda s: (s.date or "", s.title))
