"""How to cite and reuse the data: license, version, endpoints, dumps, named graphs."""

from __future__ import annotations

from dataclasses import dataclass

from kgapp.build import dumps
from kgapp.config import Settings
from kgapp.store import KnowledgeStore
from kgapp.web.pages import Page
from kgapp.web.urls import UrlBuilder


@dataclass(frozen=True)
class DumpLink:
    url: str
    file: str
    description: str


@dataclass(frozen=True)
class TripleCounts:
    asserted: int
    inferred: int


@dataclass
class CitePage(Page):
    template = "site/cite.html"

    title: str
    license: str
    license_name: str
    base: str
    ontology: str
    version: str
    built_at: str
    sparql_endpoint: str
    void: str
    dumps: list[DumpLink]
    triples: TripleCounts
    graphs: dict[str, int]


def cite_page(store: KnowledgeStore, settings: Settings, urls: UrlBuilder) -> CitePage:
    info = store.info
    return CitePage(
        title=settings.site_title,
        license=settings.license_iri,
        license_name=settings.license_name,
        base=store.namespaces.base,
        ontology=store.namespaces.ontology_iri,
        version=info.input_hash,
        built_at=info.built_at,
        sparql_endpoint=urls.absolute("sparql.endpoint"),
        void=urls.absolute("dataset.void"),
        dumps=[
            DumpLink(urls.page("dataset.dump", file_name=d.file_name), d.file_name, d.description)
            for d in dumps.DUMPS
        ],
        triples=TripleCounts(info.asserted_triples, info.inferred_triples),
        graphs=info.graphs,
    )
