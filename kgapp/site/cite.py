"""How to cite and reuse the data: license, version, how to cite it (plain text, BibTeX,
CSL-JSON), endpoints, the dumps with their size, date and SHA-256, named graphs."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

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
    bytes: int | None  # None: not written yet (it is, when first downloaded)
    sha256: str | None
    date: str  # when the version it dumps was made

    @property
    def size(self) -> str:
        if self.bytes is None:
            return ""
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
        version=str(info.version),
        built_at=info.built_at,
        sparql_endpoint=urls.absolute("sparql.endpoint"),
        void=urls.absolute("dataset.void"),
        dumps=[_dump_link(store, settings, urls, d) for d in dumps.DUMPS],
        triples=TripleCounts(info.asserted_triples, info.inferred_triples),
        graphs=info.graphs,
        citation=cite(
            settings.site_title,
            store.namespaces.base,
            build_of(store, settings),
            urls.permanent(store.namespaces.base, info.version),
        ),
    )


def _dump_link(store: KnowledgeStore, settings: Settings, urls: UrlBuilder, dump: dumps.Dump) -> DumpLink:
    """A dump with what a reader checks before and after downloading it (once it is written)."""
    path = dumps.existing_dump(store, dump.file_name)
    size, sha256 = _digest(path) if path is not None else (None, None)
    return DumpLink(
        url=urls.page("dataset.dump", file_name=dump.file_name),
        file=dump.file_name,
        description=dump.description,
        bytes=size,
        sha256=sha256,
        date=store.info.built_at,
    )


@functools.lru_cache(maxsize=64)
def _file_digest(path: Path, size: int, mtime_ns: int) -> str:
    with path.open("rb") as body:
        return hashlib.file_digest(body, "sha256").hexdigest()


def _digest(path: Path) -> tuple[int, str]:
    """A dump's size and SHA-256, read once per file (the dumps are megabytes)."""
    stat = path.stat()
    return stat.st_size, _file_digest(path, stat.st_size, stat.st_mtime_ns)
