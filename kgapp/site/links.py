"""Small view models the site pages share: a labelled link, the labels of everything named."""

from __future__ import annotations

from dataclasses import dataclass

from kgapp.readmodel.names import labels
from kgapp.readmodel.terms import last_resort
from kgapp.web.urls import UrlBuilder


@dataclass(frozen=True)
class Link:
    iri: str
    href: str | None
    label: str


def link(iri: str, urls: UrlBuilder, labels: dict[str, str]) -> Link:
    return Link(iri, urls.href(iri), labels.get(iri) or last_resort(iri, urls.namespaces))


__all__ = ["Link", "labels", "link"]
