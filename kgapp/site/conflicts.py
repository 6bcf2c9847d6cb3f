"""Where sources disagree: each disputed value side by side — figures with their currency or unit —
with the documents that state it and where in each they say so."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pyoxigraph as ox

from kgapp.rdfterms import term_from_json
from kgapp.readmodel import HIDDEN
from kgapp.readmodel.figures import formatted, units
from kgapp.readmodel.provenance import Passage, passages, source_documents
from kgapp.readmodel.terms import Term, make_term
from kgapp.site.links import Link, labels, link
from kgapp.store import KnowledgeStore
from kgapp.web.pages import Page
from kgapp.web.urls import UrlBuilder


@dataclass(frozen=True)
class SourceClaim:
    """One source of a claim, with where it says so."""

    source: Link
    passage: Passage | None


@dataclass(frozen=True)
class ClaimView:
    value: str
    sources: list[str]
    shown: str  # the value as a reader writes it: a label, a date, "US$37.3 bn"
    term: Term = field(metadata={HIDDEN: False})
    source_links: list[Link] = field(metadata={HIDDEN: False})
    supported_by: list[SourceClaim] = field(default_factory=list, metadata={HIDDEN: False})


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
    known_passages, figure_units = passages(store), units(store)
    value_property = str(store.namespaces.hkus) + "value"
    found = []
    for disagreement in store.disagreements:
        subject = disagreement.subject
        claims = []
        for claim in disagreement.claims:
            term = make_term(term_from_json(claim.value), urls, _label(claim.value, names))
            if disagreement.property == value_property:
                term = replace(term, label=formatted(term.value, figure_units.get(subject)))
            claims.append(
                ClaimView(
                    value=claim.value["value"],
                    sources=list(claim.sources),
                    shown=term.label,
                    term=term,
                    source_links=[link(s, urls, titles) for s in claim.sources],
                    supported_by=[
                        SourceClaim(link(s, urls, titles), known_passages.get((subject, s)))
                        for s in claim.sources
                    ],
                )
            )
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
