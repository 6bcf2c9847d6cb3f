"""The status of a law, agreement or measure on a day, and its history, as entity pages show them.

Both come from the shared named queries: ``status_as_of.rq`` (bound to the thing and the day)
and ``status_history.rq``, so a page says what the analyst example says.

Which day: the one the reader asks for (``?on=YYYY-MM-DD``), else the day of the build. A page
depends only on the build and the request, so the response cache stays correct across midnight;
and as the sources report the past, the build day gives the status the latest record leaves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyoxigraph as ox

from kgapp import queries
from kgapp.dataset import EVERY_GRAPH
from kgapp.errors import KGError
from kgapp.readmodel import HIDDEN
from kgapp.readmodel.names import labels
from kgapp.readmodel.provenance import SourceDocument, source_documents
from kgapp.readmodel.terms import Term, make_term, text_of
from kgapp.store import KnowledgeStore
from kgapp.web.urls import UrlBuilder

DAY_PARAMETER = "on"
# Classes whose pages offer "status on a date": laws, bills, agreements (legal instruments) and measures.
STATUS_CLASSES = ("LegalInstrument", "Measure")


@dataclass(frozen=True)
class StatusNow:
    """The status on the day asked, and the record that gives it."""

    status: str
    status_iri: str
    since: str
    record: Term
    basis: str  # "event", "attestation", or how the life cycle gives the status

    @property
    def by_life_cycle(self) -> bool:
        return self.basis not in {"event", "attestation"}


@dataclass(frozen=True)
class HistoryStep:
    """One record of the history: a dated event or attestation, or a status held until a date,
    with the sources that give this date and how an implied status was derived."""

    date: str | None
    until: str | None
    status: str
    record: Term
    sources: list[SourceDocument]
    derivations: list[str]
    current: bool = False  # this step gives the status on the day asked


@dataclass
class StatusView:
    day: str  # the day the status is given for (ISO)
    asked: bool  # the reader picked the day; otherwise it is the build's day
    now: StatusNow | None
    history: list[HistoryStep] = field(default_factory=list)
    offered: bool = field(default=True, metadata={HIDDEN: False})  # the page shows the date control


def build_day(store: KnowledgeStore) -> str:
    return store.info.built_at[:10]


def parse_day(value: str | None) -> str | None:
    """The day a reader asked for, or None; a clear 400 for anything that is not a date."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        if len(text) == len("2020-06-30"):
            return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise KGError(
        f"parameter {DAY_PARAMETER!r}: not a date as YYYY-MM-DD: {text[:40]!r}", parameter=DAY_PARAMETER
    )


def status_view(
    store: KnowledgeStore, urls: UrlBuilder, iri: str, type_iris: set[str], asked_day: str | None
) -> StatusView | None:
    """The status section of a page: None for things that are no law, agreement or measure and
    have no status record."""
    day = asked_day or build_day(store)
    this = ox.NamedNode(iri)
    history = _history(store, urls, this)
    ours = str(store.namespaces.hkus)
    offered = any(ours + name in type_iris for name in STATUS_CLASSES)
    if not history and not offered:
        return None
    rows = store.select(queries.load("status_as_of"), bindings={"thing": this, "asOf": ox.Literal(day)})
    now = _now(rows[0], urls, labels(store)) if rows else None
    if now is not None:
        history = [_marked(step, now) for step in history]
    return StatusView(day, asked_day is not None, now, history, offered or bool(history))


def _now(row: dict[str, Any], urls: UrlBuilder, names: dict[str, str]) -> StatusNow:
    label = names.get(row["record"].value)
    return StatusNow(
        status=row["statusLabel"].value,
        status_iri=row["status"].value,
        since=row["since"].value,
        record=make_term(row["record"], urls, ox.Literal(label) if label else None),
        basis=row["basis"].value,
    )


def _marked(step: HistoryStep, now: StatusNow) -> HistoryStep:
    current = step.record.value == now.record.value and step.date == now.since
    return step if not current else HistoryStep(**{**vars(step), "current": True})


def _history(store: KnowledgeStore, urls: UrlBuilder, this: ox.NamedNode) -> list[HistoryStep]:
    """Steps in the order the query gives (by date, then life-cycle stage), sources merged."""
    documents = {doc.iri: doc for doc in source_documents(store).values()}
    steps: dict[tuple[str, str | None, str | None, str], dict[str, Any]] = {}
    for row in store.select(queries.load("status_history"), bindings={"thing": this}, dataset=EVERY_GRAPH):
        key = (row["record"].value, text_of(row.get("date")), text_of(row.get("until")), row["status"].value)
        step = steps.setdefault(key, {"row": row, "sources": {}, "derivations": {}})
        source = row["source"].value
        if source in documents:
            step["sources"][source] = documents[source]
        if "derivation" in row:
            step["derivations"][row["derivation"].value] = None
    return [
        HistoryStep(
            date=key[1],
            until=key[2],
            status=step["row"]["statusLabel"].value,
            record=make_term(step["row"]["record"], urls, step["row"].get("recordLabel")),
            sources=list(step["sources"].values()),
            derivations=list(step["derivations"]),
        )
        for key, step in steps.items()
    ]
