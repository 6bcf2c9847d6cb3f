"""The timeline: every event in date order, filterable by actor and kind of event."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kgapp import queries
from kgapp.site.links import Link, labels, link
from kgapp.store import KnowledgeStore
from kgapp.web.jsonview import HIDDEN
from kgapp.web.pages import Page
from kgapp.web.provenance import source_documents
from kgapp.web.terms import local_name, text_of
from kgapp.web.urls import UrlBuilder

HKUS_DATE = "ontology/date"


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


@dataclass(frozen=True)
class Filters:
    actors: list[Link]
    types: list[Link]


@dataclass
class TimelinePage(Page):
    template = "site/timeline.html"

    actor: str | None
    type: str | None
    events: list[TimelineEvent]
    filters: Filters = field(metadata={HIDDEN: False})


def events(store: KnowledgeStore) -> list[TimelineEvent]:
    """Every event, earliest first; undated events last. Read once per build."""
    return store.memo(_events)


def _events(store: KnowledgeStore) -> list[TimelineEvent]:
    urls = UrlBuilder(store.namespaces)
    names = labels(store)
    titles = {doc.iri: doc.title for doc in source_documents(store).values()}
    date_property = store.namespaces.base + HKUS_DATE
    disputed = {d.subject for d in store.disagreements if d.property == date_property}
    aspects: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row in store.select(queries.load("ld/timeline")):
        aspects[row["event"].value][row["key"].value].append(row)
    found = [_event(iri, rows, urls, names, titles, iri in disputed) for iri, rows in aspects.items()]
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
) -> TimelineEvent:
    def values(key: str) -> list[str]:
        return list(dict.fromkeys(row["x"].value for row in found.get(key, [])))

    types = found.get("type", [])
    return TimelineEvent(
        iri=iri,
        href=urls.href(iri),
        label=(values("label") or [local_name(iri)])[0],
        date=shown_date(values("date")),
        disputed_date=disputed,
        type=text_of(types[0].get("xLabel")) if types else None,
        type_iri=types[0]["x"].value if types else None,
        agents=[link(a, urls, names) for a in values("agent")],
        affects=[link(a, urls, names) for a in values("affects")],
        sources=[link(s, urls, titles) for s in values("source")],
    )


def narrowed(every: list[TimelineEvent], actor: str, event_type: str) -> list[TimelineEvent]:
    """The events an actor took part in and of a kind (IRIs; empty means any)."""
    return [
        e
        for e in every
        if (not actor or any(a.iri == actor for a in e.agents))
        and (not event_type or e.type_iri == event_type)
    ]


def filters(every: list[TimelineEvent]) -> Filters:
    """The actors and event types that occur, for the filter form."""
    actors = {a.iri: a for e in every for a in e.agents}
    types = {e.type_iri: Link(e.type_iri, None, e.type or "") for e in every if e.type_iri}
    return Filters(
        actors=sorted(actors.values(), key=lambda item: item.label.casefold()),
        types=sorted(types.values(), key=lambda item: item.label.casefold()),
    )


def timeline_page(store: KnowledgeStore, actor: str, event_type: str) -> TimelinePage:
    every = events(store)
    return TimelinePage(actor or None, event_type or None, narrowed(every, actor, event_type), filters(every))
