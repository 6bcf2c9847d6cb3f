"""Where sources disagree: each disputed value side by side, with the documents that state it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kgapp.rdfterms import term_from_json
from kgapp.site.links import Link, labels, link
from kgapp.store import KnowledgeStore
from kgapp.web.jsonview import HIDDEN
from kgapp.web.pages import Page
from kgapp.web.provenance import source_documents
from kgapp.web.terms import Term, make_term
from kgapp.web.urls import UrlBuilder


@dataclass(frozen=True)
class ClaimView:
    value: str
    sources: list[str]
    term: Term = field(metadata={HIDDEN: False})
    source_links: list[Link] = field(metadata={HIDDEN: False})


@dataclass(frozen=True)
class ConflictView:
    subject: str
    property: str
    values: list[ClaimView]
    subject_link: Link = field(metadata={HIDDEN: False})
    property_link: Link = field(metadata={HIDDEN: False})


@dataclass
class ConflictsPage(Page):
    template = "site/conflicts.html"

    conflicts: list[ConflictView]


def conflicts_page(store: KnowledgeStore, urls: UrlBuilder) -> ConflictsPage:
    names = labels(store)
    titles = {doc.iri: doc.title for doc in source_documents(store).values()}
    found = []
    for disagreement in store.disagreements:
        claims = [
            ClaimView(
                value=claim.value["value"],
                sources=list(claim.sources),
                term=make_term(term_from_json(claim.value), urls, _label(claim.value, names)),
                source_links=[link(s, urls, titles) for s in claim.sources],
            )
            for claim in disagreement.claims
        ]
        found.append(
            ConflictView(
                subject=disagreement.subject,
                property=disagreement.property,
                values=claims,
                subject_link=link(disagreement.subject, urls, names),
                property_link=link(disagreement.property, urls, names),
            )
        )
    return ConflictsPage(found)


def _label(value: dict[str, str], names: dict[str, str]) -> ox.Literal | None:
    """The label of an IRI value, if it has one."""
    if value["type"] != "uri" or value["value"] not in names:
        return None
    return ox.Literal(names[value["value"]])
