"""How to cite and reuse the data: license, version, how to cite it (plain text, BibTeX,
CSL-JSON), endpoints, the dumps with their size, date and SHA-256, named graphs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from kgapp import dumps
from kgapp.config import Settings
from kgapp.readmodel.citing import PageCitation, build_of, cite
from kgapp.store import KnowledgeStore
from kgapp.web.pages import Page
from kgapp.web.urls import UrlBuilder


@dataclass(frozen=True)
class DumpLink:
    url: str
    file: str
    description: str
    bytes: int
    sha256: str
    date: str  # when the build it dumps was made

    @property
    def size(self) -> str:
        return f"{self.bytes / 1024:,.0f} KiB" if self.bytes >= 1024 else f"{self.bytes} bytes"


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
    citation: PageCitation


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
        dumps=[_dump_link(store, settings, urls, d) for d in dumps.DUMPS],
        triples=TripleCounts(info.asserted_triples, info.inferred_triples),
        graphs=info.graphs,
        citation=cite(settings.site_title, store.namespaces.base, build_of(store, settings)),
    )


def _dump_link(store: KnowledgeStore, settings: Settings, urls: UrlBuilder, dump: dumps.Dump) -> DumpLink:
    """A dump with what a reader checks before and after downloading it."""
    size, sha256 = store.memo(_dump_digests)[dump.file_name]
    return DumpLink(
        url=urls.page("dataset.dump", file_name=dump.file_name),
        file=dump.file_name,
        description=dump.description,
        bytes=size,
        sha256=sha256,
        date=store.info.built_at,
    )


def _dump_digests(store: KnowledgeStore) -> dict[str, tuple[int, str]]:
    """Each dump's size and SHA-256, read once per build (the dumps are megabytes)."""
    digests = {}
    for dump in dumps.DUMPS:
        path = dumps.dump_path(store, dump.file_name)
        with path.open("rb") as body:
            digests[dump.file_name] = (path.stat().st_size, hashlib.file_digest(body, "sha256").hexdigest())
    return digests
