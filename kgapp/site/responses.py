"""What answered this: for a law, measure or event, everything that responds to it — or to its
passage or approval, which the ontology folds into one ``hkus:respondsTo`` — in date order,
grouped by the state each response is attributable to (its government, bodies and officials in
office act for it), each with the sources that say what it answers. Responses to those responses
follow, grouped the same way."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kgapp import queries
from kgapp.errors import KGError, NotFound
from kgapp.ld.describe import exists
from kgapp.rdfterms import is_true
from kgapp.readmodel import HIDDEN
from kgapp.readmodel.names import kinds
from kgapp.readmodel.provenance import source_documents
from kgapp.site.links import Link, labels, link
from kgapp.site.timeline import shown_date
from kgapp.store import KnowledgeStore
from kgapp.web.pages import CsvTable, Page
from kgapp.web.urls import UrlBuilder

NOT_RECORDED = "no actor recorded"


@dataclass(frozen=True)
class ActorView:
    """Who did it: a body, a person (with the post held while acting), a state."""

    actor: Link
    post: Link | None = None


@dataclass(frozen=True)
class Response:
    iri: str
    href: str | None
    label: str
    date: str | None
    type: str | None
    direct: bool  # answers the target itself (or its passage or approval), not a later response
    actors: list[ActorView]
    answers: list[Link]  # what the sources say it answers, as they put it
    sources: list[Link]
    implied: bool = False  # no source says so in words: its sources plainly imply it


@dataclass(frozen=True)
class ActorGroup:
    """The responses of one state (or, for acts of no state, of one actor), oldest first."""

    actor: Link
    is_state: bool
    responses: list[Response]
    joint: bool = False  # several states acting together
    through: list[Link] = field(default_factory=list)  # its bodies and officials that acted


@dataclass
class ResponsesPage(Page):
    template = "site/responses.html"

    target: Link | None
    direct: list[ActorGroup]
    indirect: list[ActorGroup]
    count: int = 0
    most_answered: list[Link] = field(default_factory=list, metadata={HIDDEN: False})

    def csv_table(self) -> CsvTable:
        header = ["group", "date", "response", "type", "direct", "actors", "answers", "sources", "iri"]
        rows = [
            [
                group.actor.label,
                r.date or "",
                r.label,
                r.type or "",
                "yes" if r.direct else "no",
                "; ".join(_actor_text(a) for a in r.actors),
                "; ".join(a.label for a in r.answers),
                "; ".join(s.label for s in r.sources),
                r.iri,
            ]
            for group in [*self.direct, *self.indirect]
            for r in group.responses
        ]
        return CsvTable(header, rows)


def _actor_text(actor: ActorView) -> str:
    return f"{actor.actor.label} ({actor.post.label})" if actor.post else actor.actor.label


def _target_iri(value: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise KGError(f"parameter 'to': not an IRI: {value[:200]!r}", parameter="to") from exc


def responses_page(
    store: KnowledgeStore, urls: UrlBuilder, target: str, most_answered: list[Link]
) -> ResponsesPage:
    """The page for ``target`` (an IRI), or the list of things most answered when it is empty."""
    if not target:
        return ResponsesPage(None, [], [], 0, most_answered)
    names = labels(store)
    rows = store.select(queries.load("ld/responses"), bindings={"target": _target_iri(target)})
    if not rows and not exists(store, target):
        raise NotFound(f"parameter 'to': nothing is known about <{target[:200]}>", parameter="to")
    found = _responses(rows, store, urls, names)
    return ResponsesPage(
        target=link(target, urls, names),
        direct=_grouped([r for r, _ in found if r.direct], found, urls, names),
        indirect=_grouped([r for r, _ in found if not r.direct], found, urls, names),
        count=len(found),
        most_answered=most_answered,
    )


States = set[str]


def _responses(
    rows: list[dict[str, Any]], store: KnowledgeStore, urls: UrlBuilder, names: dict[str, str]
) -> list[tuple[Response, States]]:
    titles = {doc.iri: doc.title for doc in source_documents(store).values()}
    types = kinds(store)
    aspects: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        aspects[row["response"].value][row["key"].value].append(row)
    return [_response(iri, found, urls, names, titles, types.get(iri)) for iri, found in aspects.items()]


def _response(
    iri: str,
    found: dict[str, list[dict[str, Any]]],
    urls: UrlBuilder,
    names: dict[str, str],
    titles: dict[str, str],
    kind: str | None,
) -> tuple[Response, States]:
    def values(key: str) -> list[str]:
        return list(dict.fromkeys(row["x"].value for row in found.get(key, [])))

    posts = {row["y"].value: row["x"].value for row in found.get("post", [])}
    actors = [
        ActorView(link(a, urls, names), link(posts[a], urls, names) if a in posts else None)
        for a in values("actor") or values("maker")
    ]
    stated = found.get("answers", [])
    sources = dict.fromkeys(row["y"].value for row in stated or found.get("implied", []))
    response = Response(
        iri=iri,
        href=urls.href(iri),
        label=names.get(iri) or (values("label") or [iri])[0],
        date=shown_date(values("date")) or _earliest(values("eventDate")),
        type=kind,
        direct=any(is_true(row["direct"]) for rows in found.values() for row in rows),
        actors=actors,
        answers=[link(a, urls, names) for a in values("answers") or values("implied")],
        sources=[link(s, urls, titles) for s in sources],
        implied=not stated and bool(sources),
    )
    return response, set(values("state"))


def _earliest(dates: list[str]) -> str | None:
    return min(dates) if dates else None


def _grouped(
    chosen: list[Response], found: list[tuple[Response, States]], urls: UrlBuilder, names: dict[str, str]
) -> list[ActorGroup]:
    """One group per state the responses are attributable to, one for states acting together,
    and, for acts of no state, one per actor."""
    states = {r.iri: s for r, s in found}
    every_state = set().union(*states.values()) if states else set()
    members: dict[tuple[str, ...], list[Response]] = defaultdict(list)
    for response in chosen:
        key = tuple(sorted(states[response.iri])) or tuple(a.actor.iri for a in response.actors[:1])
        members[key or (NOT_RECORDED,)].append(response)
    groups = [
        ActorGroup(
            actor=_group_actor(key, urls, names),
            is_state=all(k in every_state for k in key),
            joint=len(key) > 1,
            responses=sorted(rs, key=_date_order),
            through=_through(rs, every_state),
        )
        for key, rs in members.items()
    ]
    return sorted(groups, key=lambda g: (-len(g.responses), g.actor.label.casefold()))


def _group_actor(key: tuple[str, ...], urls: UrlBuilder, names: dict[str, str]) -> Link:
    if key == (NOT_RECORDED,):
        return Link(NOT_RECORDED, None, NOT_RECORDED)
    if len(key) == 1:
        return link(key[0], urls, names)
    together = sorted(link(k, urls, names).label for k in key)
    return Link(" ".join(key), None, ", ".join(together[:-1]) + " and " + together[-1] + ", together")


def _date_order(response: Response) -> tuple[bool, str, str]:
    return (response.date is None, response.date or "", response.label.casefold())


def _through(responses: list[Response], states: set[str]) -> list[Link]:
    """The bodies and officials that did a group's responses (not states), most active first."""
    counts: dict[str, int] = defaultdict(int)
    by_iri: dict[str, Link] = {}
    for response in responses:
        for actor in response.actors:
            if actor.actor.iri not in states:
                counts[actor.actor.iri] += 1
                by_iri[actor.actor.iri] = actor.actor
    return [by_iri[i] for i in sorted(counts, key=lambda i: (-counts[i], by_iri[i].label.casefold()))]
