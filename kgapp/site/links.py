"""Small view models the site pages share: a labelled link, the labels of everything named."""

from __future__ import annotations

from dataclasses import dataclass

from kgapp.search.index import index
from kgapp.store import KnowledgeStore
from kgapp.web.terms import local_name
from kgapp.web.urls import UrlBuilder


@dataclass(frozen=True)
class Link:
    iri: str
    href: str | None
    label: str


def link(iri: str, urls: UrlBuilder, labels: dict[str, str]) -> Link:
    return Link(iri, urls.href(iri), labels.get(iri) or local_name(iri))


def labels(store: KnowledgeStore) -> dict[str, str]:
    """IRI → preferred label, for every named thing of the build."""
    return store.memo(_labels)


def _labels(store: KnowledgeStore) -> dict[str, str]:
    return {entry.iri: entry.label for entry in index(store)}
