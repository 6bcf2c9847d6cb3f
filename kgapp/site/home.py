"""The home page: what the graph holds, where its story starts, and the ways in."""

from __future__ import annotations

from dataclasses import dataclass

from kgapp import queries
from kgapp.readmodel.names import label_of
from kgapp.readmodel.provenance import SourceDocument, source_documents
from kgapp.site.browse import ClassCount, class_counts
from kgapp.sparql.query_page import examples
from kgapp.store import KnowledgeStore
from kgapp.web.pages import Page
from kgapp.web.urls import UrlBuilder


@dataclass(frozen=True)
class StartingPoint:
    iri: str
    href: str | None
    label: str
    responses: int


@dataclass(frozen=True)
class ExampleLink:
    title: str
    description: str
    href: str


@dataclass
class HomePage(Page):
    template = "home.html"

    title: str
    base: str
    built_at: str
    asserted_triples: int
    inferred_triples: int
    conforms: bool
    classes: list[ClassCount]
    sources: list[SourceDocument]
    starting_points: list[StartingPoint]
    examples: list[ExampleLink]


def starting_points(store: KnowledgeStore, urls: UrlBuilder) -> list[StartingPoint]:
    """What most other things respond to: where the story of the graph starts."""
    return [
        StartingPoint(
            iri=row["target"].value,
            href=urls.href(row["target"].value),
            label=label_of(store, row["target"].value),
            responses=int(row["responses"].value),
        )
        for row in store.select(queries.load("ld/most_answered"))
    ]


def home_page(store: KnowledgeStore, urls: UrlBuilder, title: str) -> HomePage:
    info = store.info
    sources = sorted(source_documents(store).values(), key=lambda d: (d.date or "", d.title))
    return HomePage(
        title=title,
        base=store.namespaces.base,
        built_at=info.built_at,
        asserted_triples=info.asserted_triples,
        inferred_triples=info.inferred_triples,
        conforms=info.conforms,
        classes=class_counts(store),
        sources=sources,
        starting_points=starting_points(store, urls),
        examples=[
            ExampleLink(e.title, e.description, urls.page("sparql.endpoint", query=e.sparql, format="html"))
            for e in examples()
        ],
    )
