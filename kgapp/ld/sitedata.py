"""Data for the site pages (browse, timeline, conflicts, sources), computed once per request
and rendered as HTML or as the JSON twin."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

import pyoxigraph as ox

from kgapp import queries
from kgapp.errors import KGError
from kgapp.ld.provenance import source_documents
from kgapp.ld.search import index
from kgapp.ld.terms import local_name, text_of
from kgapp.ld.urls import UrlBuilder
from kgapp.store import KnowledgeStore


@dataclass(frozen=True)
class Link:
    iri: str
    href: str | None
    label: str


def _link(iri: str, urls: UrlBuilder, labels: dict[str, str]) -> Link:
    return Link(iri, urls.href(iri), labels.get(iri) or local_name(iri))


def label_map(store: KnowledgeStore) -> dict[str, str]:
    return {entry.iri: entry.label for entry in index(store)}


# Browse ------------------------------------------------------------------------------------
def classes(store: KnowledgeStore, urls: UrlBuilder) -> list[dict[str, Any]]:
    return [
        {
            "iri": row["class"].value,
            "href": urls.href(row["class"].value),
            "label": text_of(row.get("label")) or local_name(row["class"].value),
            "count": int(row["count"].value),
        }
        for row in store.select(queries.load("class_counts"))
    ]


def class_iri(value: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise KGError(f"parameter 'class': not an IRI: {value!r}") from exc


def members(store: KnowledgeStore, urls: UrlBuilder, cls: str) -> list[dict[str, Any]]:
    rows = store.select(queries.load("ld/class_members"), bindings={"class": class_iri(cls)})
    return [
        {
            "iri": row["entity"].value,
            "href": urls.href(row["entity"].value),
            "label": text_of(row.get("label")) or local_name(row["entity"].value),
            "description": text_of(row.get("description")),
        }
        for row in rows
    ]


# Timeline ----------------------------------------------------------------------------------
@dataclass
class TimelineEvent:
    iri: str
    href: str | None
    label: str
    date: str | None
    disputed_date: bool
    type: str | None
    type_iri: str | None
    agents: list[Link] = field(default_factory=list)
    affects: list[Link] = field(default_factory=list)
    sources: list[Link] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def timeline(store: KnowledgeStore, urls: UrlBuilder) -> list[TimelineEvent]:
    """Every event, earliest first; undated events last."""
    labels = label_map(store)
    titles = {doc.iri: doc.title for doc in source_documents(store, urls).values()}
    aspects: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row in store.select(queries.load("ld/timeline")):
        aspects[row["event"].value][row["key"].value].append(row)
    events = [_event(iri, found, urls, labels, titles) for iri, found in aspects.items()]
    return sorted(events, key=lambda e: (e.date is None, e.date or "", e.label.casefold()))


def _event(
    iri: str,
    found: dict[str, list[Any]],
    urls: UrlBuilder,
    labels: dict[str, str],
    titles: dict[str, str],
) -> TimelineEvent:
    def values(key: str) -> list[str]:
        return list(dict.fromkeys(row["x"].value for row in found.get(key, [])))

    dates = sorted(values("date"))
    types = found.get("type", [])
    return TimelineEvent(
        iri=iri,
        href=urls.href(iri),
        label=(values("label") or [local_name(iri)])[0],
        date=dates[0] if dates else None,
        disputed_date=len(dates) > 1,
        type=text_of(types[0].get("xLabel")) if types else None,
        type_iri=types[0]["x"].value if types else None,
        agents=[_link(a, urls, labels) for a in values("agent")],
        affects=[_link(a, urls, labels) for a in values("affects")],
        sources=[_link(s, urls, titles) for s in values("source")],
    )


def narrowed(events: list[TimelineEvent], actor: str, event_type: str) -> list[TimelineEvent]:
    """The events an actor took part in and of a kind (IRIs; empty means any)."""
    return [
        e
        for e in events
        if (not actor or any(a.iri == actor for a in e.agents))
        and (not event_type or e.type_iri == event_type)
    ]


def timeline_filters(events: list[TimelineEvent]) -> dict[str, list[Link]]:
    """The actors and event types that occur, for the filter form."""
    actors = {a.iri: a for e in events for a in e.agents}
    types = {e.type_iri: Link(e.type_iri, "", e.type or "") for e in events if e.type_iri}
    return {
        "actors": sorted(actors.values(), key=lambda link: link.label.casefold()),
        "types": sorted(types.values(), key=lambda link: link.label.casefold()),
    }


# Conflicts ---------------------------------------------------------------------------------
def conflicts(store: KnowledgeStore, urls: UrlBuilder) -> list[dict[str, Any]]:
    """Each disputed (subject, property) with its values side by side, each with its sources."""
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for row in store.select(queries.load("conflicts")):
        subject, prop = row["subject"].value, row["property"].value
        entry = grouped.setdefault(
            (subject, prop),
            {
                "subject": Link(
                    subject, urls.href(subject), text_of(row.get("subjectLabel")) or local_name(subject)
                ),
                "property": Link(
                    prop, urls.href(prop), text_of(row.get("propertyLabel")) or local_name(prop)
                ),
                "values": {},
            },
        )
        value = row["value"]
        claim = entry["values"].setdefault(value.value, {"value": value.value, "sources": []})
        source = row.get("source")
        if source is not None:
            title = text_of(row.get("sourceTitle")) or local_name(source.value)
            claim["sources"].append(Link(source.value, urls.href(source.value), title))
    return [entry | {"values": list(entry["values"].values())} for entry in grouped.values()]


# Sources -----------------------------------------------------------------------------------
def sources(store: KnowledgeStore, urls: UrlBuilder) -> list[dict[str, Any]]:
    """Each source document with every fact it states."""
    facts: dict[str, list[dict[str, Any]]] = {}
    for row in store.select(queries.load("ld/source_facts")):
        fact = row["fact"].value
        facts.setdefault(row["source"].value, []).append(
            {
                "iri": fact,
                "href": urls.href(fact),
                "label": text_of(row.get("label")) or local_name(fact),
                "date": text_of(row.get("date")),
                "type": text_of(row.get("type")),
            }
        )
    documents = sorted(source_documents(store, urls).values(), key=lambda d: (d.date or "", d.title))
    graph_sizes = store.info.graphs
    return [
        doc.to_dict()
        | {"href": doc.href, "triples": graph_sizes.get(doc.graph, 0), "facts": facts.get(doc.iri, [])}
        for doc in documents
    ]
