"""The view model of an entity page: each value of each property with who states it, grouped by
property, and the page (:class:`Description`) they make up. Rendered as HTML by
``ld/entity.html`` and as JSON by the one serializer; fields only the HTML needs are hidden."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import Any

from kgapp.ld.status import StatusView
from kgapp.rdfterms import is_true
from kgapp.readmodel import HIDDEN
from kgapp.readmodel.citing import PageCitation
from kgapp.readmodel.provenance import Passage, Provenance, SourceDocument
from kgapp.readmodel.terms import Term, text_of
from kgapp.web.pages import Page

PRESENTATION: dict[str, Any] = {HIDDEN: False}


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
            is_event=is_true(row.get("valueIsEvent")),
        )
        return None if context == cls() else context


@dataclass
class StatedValue:
    """One value of one property, with every graph that holds it (not ``hkus:Statement``, which
    is a thing someone said)."""

    value: Term
    provenance: list[Provenance] = field(default_factory=list)
    context: ValueContext | None = field(default=None, metadata=PRESENTATION)

    @property
    def inferred_only(self) -> bool:
        return all(p.kind == "inferred" for p in self.provenance)

    @property
    def sources(self) -> list[SourceDocument]:
        return [p.document for p in self.provenance if p.document is not None]


@dataclass
class PropertyGroup:
    """All values of one property, outgoing (``this p value``) or incoming (``value p this``)."""

    property: str
    label: str
    definition: str | None
    conflict: bool = False  # the sources disagree on it (see kgapp.disagreements)
    values: list[StatedValue] = field(default_factory=list)
    term: Term = field(default=Term("iri", "", ""), metadata=PRESENTATION)
    direction: str = field(default="out", metadata=PRESENTATION)
    inverse_label: str | None = field(default=None, metadata=PRESENTATION)
    required: bool = field(default=False, metadata=PRESENTATION)  # a shape requires it
    qualifier: str | None = field(default=None, metadata=PRESENTATION)  # prefixed name of homonyms
    reading: str | None = field(default=None, metadata=PRESENTATION)  # plain heading (kgapp.ld.wording)
    # The values are facts whose citation in each source names this thing (hkus:accordingTo sits
    # on the citation, not on the fact): shown as a relation, never written out as a triple.
    via_citation: bool = False

    @builtins.property
    def inferred_only(self) -> bool:
        return all(v.inferred_only for v in self.values)

    @builtins.property
    def heading(self) -> str:
        """What the relation means seen from the page's thing ("measures it imposed")."""
        if self.reading:
            return self.reading
        if self.direction == "out":
            return self.label
        return self.inverse_label or f"linked here as “{self.label}”"


@dataclass(frozen=True)
class RelatedMeasure:
    """A measure linked to the resource directly or through one fact (``via``)."""

    measure: str
    label: str
    type: str | None
    start_date: str | None
    via: list[str]
    term: Term = field(metadata=PRESENTATION)
    via_terms: list[Term] = field(metadata=PRESENTATION)


@dataclass(frozen=True)
class Denial:
    """What a source denies: that the thing stands in ``relation`` to ``other`` (``outgoing``), or
    ``other`` to the thing — an OWL negative property assertion in that source's graph."""

    relation: str
    other: Term
    outgoing: bool
    sources: list[SourceDocument]


def _date_then_label(value: StatedValue) -> tuple[str, str]:
    date = value.context.date if value.context else None
    return (date or "", value.value.label)


@dataclass
class Description(Page):
    """Everything the graph says about one resource, with who says so."""

    template = "ld/entity.html"

    iri: str
    label: str
    description: str | None
    types: list[StatedValue]
    properties: list[PropertyGroup]
    referenced_by: list[PropertyGroup]
    sources: list[SourceDocument]
    measures: list[RelatedMeasure] = field(default_factory=list)
    # Where each source tells of this resource: paragraphs, whom it credits, derivation, quotes.
    passages: list[Passage] = field(default_factory=list)
    # The status on the day asked (or the build's), and the status history; None when it has none.
    status: StatusView | None = None
    not_stated: list[str] = field(default_factory=list)  # what readers expect and no source gives
    denials: list[Denial] = field(default_factory=list)
    responses: int = 0  # things that respond to it (see the "what answered this" page)
    citation: PageCitation | None = None
    href: str | None = field(default=None, metadata=PRESENTATION)
    key_facts: list[PropertyGroup] = field(default_factory=list, metadata=PRESENTATION)

    @property
    def conflicts(self) -> list[PropertyGroup]:
        return [g for g in self.properties if g.conflict]

    def besides_key_facts(self, groups: list[PropertyGroup]) -> list[PropertyGroup]:
        """``groups`` without those shown under key facts (compared by identity)."""
        shown = {id(g) for g in self.key_facts}
        return [g for g in groups if id(g) not in shown]

    def passage_from(self, source: str) -> Passage | None:
        return next((p for p in self.passages if p.source == source), None)

    @property
    def incoming_count(self) -> int:
        return sum(len(g.values) for g in self.referenced_by)

    @property
    def inferred_types(self) -> list[StatedValue]:
        return [t for t in self.types if t.inferred_only]

    @property
    def asserted_types(self) -> list[StatedValue]:
        """The types stated, but ``owl:NamedIndividual`` (OWL's bookkeeping: it tells a reader
        nothing the other types do not)."""
        return [t for t in self.types if not t.inferred_only and t.value.value != OWL_NAMED_INDIVIDUAL]

    @property
    def events(self) -> list[StatedValue]:
        """The events this resource links to or is linked from, in date order."""
        found: dict[str, StatedValue] = {}
        for group in [*self.properties, *self.referenced_by]:
            for value in group.values:
                if value.context and value.context.is_event:
                    found.setdefault(value.value.value, value)
        return sorted(found.values(), key=_date_then_label)

    @property
    def is_class(self) -> bool:
        return any(t.value.value == OWL_CLASS for t in self.types)


OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
OWL_NAMED_INDIVIDUAL = "http://www.w3.org/2002/07/owl#NamedIndividual"
