"""The timeline: every event in date order, filterable by actor (with what acted for it), kind of
event and a range of dates; also as CSV."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kgapp import queries
from kgapp.errors import KGError
from kgapp.readmodel import HIDDEN
from kgapp.readmodel.provenance import source_documents
from kgapp.readmodel.terms import last_resort, text_of
from kgapp.site.links import Link, labels, link
from kgapp.store import KnowledgeStore
from kgapp.web.pages import CsvTable, Page
from kgapp.web.urls import UrlBuilder

HKUS_DATE = "ontology/date"
DATE_FORMS = (4, 7, 10)  # lengths of YYYY, YYYY-MM, YYYY-MM-DD


@dataclass(frozen=True)
class TimelineEvent:
    iri: str
    href: str | None
    label: str
    date: str | None  # the most precise date the sources give (the earliest if they disagree)
    disputed_date: bool  # sources disagree on the date (a vaguer date is no disagreement)
    type: str | None
    type_iri: str | None
    agents: list[Link] = field(default_factory=list)
    affects: list[Link] = field(default_factory=list)
    sources: list[Link] = field(default_factory=list)
    attributable_to: list[str] = field(default_factory=list)  # who it counts as an act of


@dataclass(frozen=True)
class Filters:
    actors: list[Link]
    types: list[Link]


@dataclass(frozen=True)
class DateRange:
    start: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    end: str | None = None

    def holds(self, day: str | None) -> bool:
        """Whether an event dated ``day`` (at any precision) may fall in the range."""
        if self.start is None and self.end is None:
            return True
        if day is None:
            return False
        return (self.start is None or _last_day(day) >= _first_day(self.start)) and (
            self.end is None or _first_day(day) <= _last_day(self.end)
        )


def _first_day(day: str) -> str:
    return day + "-01-01"[len(day) - 4 :]


def _last_day(day: str) -> str:
    return day + "-12-31"[len(day) - 4 :]  # "2020-06-31" sorts after every day of June


def parse_range(start: str, end: str) -> DateRange:
    """The ``from`` and ``to`` parameters; a clear 400 for anything that is not a date."""
    for name, value in (("from", start), ("to", end)):
        if value and not _is_date(value):
            raise KGError(
                f"parameter {name!r}: not a date as YYYY, YYYY-MM or YYYY-MM-DD: {value[:40]!r}",
                parameter=name,
            )
    return DateRange(start or None, end or None)


def _is_date(value: str) -> bool:
    """A year, a month of a year or a day, as ISO 8601 writes them."""
    if len(value) not in DATE_FORMS or not value[:4].isdigit():
        return False
    try:
        date.fromisoformat(_first_day(value))
    except ValueError:
        return False
    return True


@dataclass
class TimelinePage(Page):
    template = "site/timeline.html"

    actor: str | None
    type: str | None
    events: list[TimelineEvent]
    start: str | None = None
    end: str | None = None
    filters: Filters = field(default_factory=lambda: Filters([], []), metadata={HIDDEN: False})
    actor_label: str | None = field(default=None, metadata={HIDDEN: False})

    def csv_table(self) -> CsvTable:
        header = ["date", "event", "kind", "by", "affects", "sources", "date disputed", "iri"]
        rows = [
            [
                e.date or "",
                e.label,
                e.type or "",
                "; ".join(a.label for a in e.agents),
                "; ".join(a.label for a in e.affects),
                "; ".join(s.label for s in e.sources),
                "yes" if e.disputed_date else "no",
                e.iri,
            ]
            for e in self.events
        ]
        return CsvTable(header, rows)


def events(store: KnowledgeStore) -> list[TimelineEvent]:
    """Every event, earliest first; undated events last. Read once per build."""
    return store.memo(_events)


def _events(store: KnowledgeStore) -> list[TimelineEvent]:
    urls = UrlBuilder(store.namespaces, store.path_prefix)
    names = labels(store)
    titles = {doc.iri: doc.title for doc in source_documents(store).values()}
    date_property = store.namespaces.base + HKUS_DATE
    disputed = {d.subject for d in store.disagreements if d.property == date_property}
    aspects: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row in store.select(queries.load("ld/timeline")):
        aspects[row["event"].value][row["key"].value].append(row)
    attributed: dict[str, list[str]] = defaultdict(list)
    for row in store.select(queries.load("ld/attributions")):
        attributed[row["act"].value].append(row["agent"].value)
    found = [
        _event(iri, rows, urls, names, titles, iri in disputed, sorted(attributed[iri]))
        for iri, rows in aspects.items()
    ]
    return sorted(found, key=lambda e: (e.date is None, e.date or "", e.label.casefold()))


def shown_date(dates: list[str]) -> str | None:
    """The most precise of the dates sources give; the earliest among equally precise ones."""
    return min(dates, key=lambda d: (-len(d), d)) if dates else None


def _event(
    iri: str,
    found: dict[str, list[Any]],
    urls: UrlBuilder,
    names: dict[str, str],
    titles: dict[str, str],
    disputed: bool,
    attributable_to: list[str],
) -> TimelineEvent:
    def values(key: str) -> list[str]:
        return list(dict.fromkeys(row["x"].value for row in found.get(key, [])))

    types = found.get("type", [])
    return TimelineEvent(
        iri=iri,
        href=urls.href(iri),
        label=(values("label") or [last_resort(iri, urls.namespaces)])[0],
        date=shown_date(values("date")),
        disputed_date=disputed,
        type=text_of(types[0].get("xLabel")) if types else None,
        type_iri=types[0]["x"].value if types else None,
        agents=[link(a, urls, names) for a in sorted(values("agent"))],  # sorted: stores differ in order
        affects=[link(a, urls, names) for a in sorted(values("affects"))],
        sources=[link(s, urls, titles) for s in sorted(values("source"))],
        attributable_to=attributable_to,
    )


def narrowed(
    every: list[TimelineEvent], actor: str, event_type: str, dates: DateRange | None = None
) -> list[TimelineEvent]:
    """The events of an actor — done by it or by a body or official acting for it — of a kind and
    in a range of dates (IRIs; empty means any)."""
    within = dates or DateRange()
    return [
        e
        for e in every
        if (not actor or actor in e.attributable_to or any(a.iri == actor for a in e.agents))
        and (not event_type or e.type_iri == event_type)
        and within.holds(e.date)
    ]


def filters(store: KnowledgeStore) -> Filters:
    """The actors (who acted, and whom they acted for) and event types that occur, for the form;
    read once per build."""
    return store.memo(_filters)


def _filters(store: KnowledgeStore) -> Filters:
    every, names, urls = events(store), labels(store), UrlBuilder(store.namespaces, store.path_prefix)
    actors = {a.iri: a for e in every for a in e.agents}
    for event in every:
        for iri in event.attributable_to:
            actors.setdefault(iri, link(iri, urls, names))
    types = {e.type_iri: Link(e.type_iri, None, e.type or "") for e in every if e.type_iri}
    return Filters(
        actors=sorted(actors.values(), key=lambda item: item.label.casefold()),
        types=sorted(types.values(), key=lambda item: item.label.casefold()),
    )


def timeline_page(
    store: KnowledgeStore, actor: str, event_type: str, start: str = "", end: str = ""
) -> TimelinePage:
    every = events(store)
    dates = parse_range(start, end)
    names = labels(store)
    return TimelinePage(
        actor=actor or None,
        type=event_type or None,
        events=narrowed(every, actor, event_type, dates),
        start=dates.start,
        end=dates.end,
        filters=filters(store),
        actor_label=names.get(actor) if actor else None,
    )
