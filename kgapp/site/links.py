"""Small view models the site pages share: a labelled link, the labels of everything named."""

from __future__ import annotations

from dataclasses import dataclass

from kgapp.search.index import labels
from kgapp.web.terms import local_name
from kgapp.web.urls import UrlBuilder


@dataclass(frozen=True)
class Link:
    iri: str
    href: str | None
    label: str


def link(iri: str, urls: UrlBuilder, labels: dict[str, str]) -> Link:
    return Link(iri, urls.href(iri), labels.get(iri) or local_name(iri))


__all__ = ["Link", "labels", "link"]
