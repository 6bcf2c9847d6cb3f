"""The source documents, each with every fact it states."""

from __future__ import annotations

from dataclasses import dataclass, field

from kgapp import queries
from kgapp.readmodel.names import label_of
from kgapp.readmodel.provenance import SourceDocument, source_documents
from kgapp.readmodel.terms import text_of
from kgapp.store import KnowledgeStore
from kgapp.web.pages import Page
from kgapp.web.urls import UrlBuilder


@dataclass(frozen=True)
class Fact:
    iri: str
    href: str | None
    label: str
    date: str | None
    type: str | None


@dataclass(frozen=True)
class SourceEntry(SourceDocument):
    """A source document with the size of its graph and every fact it states."""

    triples: int = 0
    facts: list[Fact] = field(default_factory=list)


@dataclass
class SourcesPage(Page):
    template = "site/sources.html"

    sources: list[SourceEntry]


def sources_page(store: KnowledgeStore, urls: UrlBuilder) -> SourcesPage:
    facts: dict[str, list[Fact]] = {}
    for row in store.select(queries.load("ld/source_facts")):
        iri = row["fact"].value
        facts.setdefault(row["source"].value, []).append(
            Fact(
                iri=iri,
                href=urls.href(iri),
                label=text_of(row.get("label")) or label_of(store, iri),
                date=text_of(row.get("date")),
                type=text_of(row.get("type")),
            )
        )
    for listed in facts.values():  # in Python: not every fact has a label in its source's words
        listed.sort(key=lambda f: (f.date or "", f.label.casefold(), f.iri))
    documents = sorted(source_documents(store).values(), key=lambda d: (d.date or "", d.title))
    sizes = store.info.graphs
    return SourcesPage(
        [
            SourceEntry(**vars(doc), triples=sizes.get(doc.graph, 0), facts=facts.get(doc.iri, []))
            for doc in documents
        ]
    )
