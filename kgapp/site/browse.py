"""Browse by class: every class in use with its count, and the things of one class; also as CSV."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kgapp import queries
from kgapp.errors import KGError
from kgapp.readmodel import HIDDEN
from kgapp.readmodel.names import label_of
from kgapp.readmodel.terms import text_of
from kgapp.store import KnowledgeStore
from kgapp.web.pages import CsvTable, Page
from kgapp.web.urls import UrlBuilder


@dataclass(frozen=True)
class ClassCount:
    iri: str
    href: str | None
    label: str
    count: int


@dataclass(frozen=True)
class Member:
    iri: str
    href: str | None
    label: str
    description: str | None


@dataclass
class BrowsePage(Page):
    template = "site/browse.html"

    classes: list[ClassCount]
    chosen: str | None = None  # the class whose members are listed
    members: list[Member] = field(default_factory=list)
    chosen_label: str = field(default="", metadata={HIDDEN: False})

    def csv_table(self) -> CsvTable:
        if self.chosen:
            return CsvTable(
                ["label", "description", "iri"], [[m.label, m.description or "", m.iri] for m in self.members]
            )
        return CsvTable(["class", "things", "iri"], [[c.label, str(c.count), c.iri] for c in self.classes])


def class_counts(store: KnowledgeStore) -> list[ClassCount]:
    """Things per class (asserted and inferred types), read once per build."""
    return store.memo(_class_counts)


def _class_counts(store: KnowledgeStore) -> list[ClassCount]:
    urls = UrlBuilder(store.namespaces, store.path_prefix)
    return [
        ClassCount(
            iri=row["class"].value,
            href=urls.href(row["class"].value),
            label=label_of(store, row["class"].value),
            count=int(row["count"].value),
        )
        for row in store.select(queries.load("class_counts"))
    ]


def _class_iri(value: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise KGError(f"parameter 'class': not an IRI: {value!r}", parameter="class") from exc


def members(store: KnowledgeStore, urls: UrlBuilder, class_iri: str) -> list[Member]:
    rows = store.select(queries.load("ld/class_members"), bindings={"class": _class_iri(class_iri)})
    members = [
        Member(
            iri=row["entity"].value,
            href=urls.href(row["entity"].value),
            label=label_of(store, row["entity"].value),
            description=text_of(row.get("description")),
        )
        for row in rows
    ]
    return sorted(members, key=lambda m: (m.label.casefold(), m.iri))  # stores collate in their own ways


def browse_page(store: KnowledgeStore, urls: UrlBuilder, chosen: str) -> BrowsePage:
    classes = class_counts(store)
    if not chosen:
        return BrowsePage(classes)
    label = next((c.label for c in classes if c.iri == chosen), chosen)
    return BrowsePage(classes, chosen, members(store, urls, chosen), label)
