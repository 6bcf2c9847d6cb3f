"""What crawlers are told: ``/robots.txt`` (crawl the pages; leave the query endpoint, search,
writes and past versions alone, which a crawler would only load) and the sitemap, every entity
page of the served version, in files of at most 50,000 addresses as the protocol asks."""

from __future__ import annotations

from dataclasses import dataclass

from kgapp.readmodel.names import index
from kgapp.store import KnowledgeStore
from kgapp.web.urls import UrlBuilder

SITEMAP_LIMIT = 50_000  # addresses in one sitemap file (sitemaps.org)
NOT_CRAWLED = ("/sparql", "/search", "/update", "/graph-store", "/curate", "/v/", "/changes")


@dataclass(frozen=True)
class Sitemap:
    pages: list[str]  # absolute addresses of entity pages, this file's share
    parts: list[str]  # or, for more pages than one file holds, the addresses of the files
    last_modified: str  # the day the served version was made


def entity_pages(store: KnowledgeStore, urls: UrlBuilder) -> list[str]:
    """Every entity page of the version, as absolute addresses, in a stable order."""
    paths = {urls.href(entry.iri) for entry in index(store) if store.namespaces.path_of(entry.iri)}
    return [urls.absolute_path(path) for path in sorted(p for p in paths if p)]


def sitemap(store: KnowledgeStore, urls: UrlBuilder, part: int | None = None) -> Sitemap | None:
    """The sitemap (``part`` None), or one of its files when it has several; None for a part
    that does not exist."""
    pages = entity_pages(store, urls)
    day = store.info.built_at[:10]
    count = max(1, -(-len(pages) // SITEMAP_LIMIT))
    if part is None:
        if count == 1:
            return Sitemap(pages, [], day)
        return Sitemap([], [urls.absolute("site.sitemap_part", number=n) for n in range(1, count + 1)], day)
    if not 1 <= part <= count or count == 1:
        return None
    return Sitemap(pages[(part - 1) * SITEMAP_LIMIT : part * SITEMAP_LIMIT], [], day)
