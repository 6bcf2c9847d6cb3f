"""The ontology IRI's documentation: the header, the class hierarchy and every term, computed
once per build; its RDF documents are the ontology graph itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kgapp import queries
from kgapp.readmodel import HIDDEN
from kgapp.readmodel.names import label_of
from kgapp.readmodel.terms import local_name, text_of
from kgapp.store import KnowledgeStore
from kgapp.web.pages import Page
from kgapp.web.urls import UrlBuilder


@dataclass
class ClassDoc:
    iri: str
    href: str | None
    label: str
    definition: str | None
    supers: list[str]
    shapes: list[str]
    instances: int
    children: list[ClassDoc] = field(default_factory=list, metadata={HIDDEN: False})


@dataclass
class PropertyDoc:
    iri: str
    href: str | None
    kind: str
    label: str
    definition: str | None
    domains: list[str]
    ranges: list[str]
    supers: list[str]
    single_valued: bool
    uses: int


def _split(term: Any) -> list[str]:
    """A GROUP_CONCAT's values, in a fixed order (SPARQL leaves theirs to the store)."""
    return sorted((text_of(term) or "").split())


def classes(store: KnowledgeStore, urls: UrlBuilder) -> list[ClassDoc]:
    found = []
    for row in store.select(queries.load("ld/ontology_classes")):
        iri = row["class"].value
        found.append(
            ClassDoc(
                iri=iri,
                href=urls.href(iri),
                label=label_of(store, iri),
                definition=text_of(row.get("definition")),
                supers=_split(row.get("supers")),
                shapes=_split(row.get("shapes")),
                instances=int(text_of(row.get("instances")) or 0),
            )
        )
    return found


def hierarchy(docs: list[ClassDoc]) -> list[ClassDoc]:
    """Roots of the class tree (classes without a superclass of ours), children attached."""
    by_iri = {d.iri: d for d in docs}
    roots = []
    for doc in docs:
        parents = [by_iri[s] for s in doc.supers if s in by_iri]
        for parent in parents:
            parent.children.append(doc)
        if not parents:
            roots.append(doc)
    return roots


def properties(store: KnowledgeStore, urls: UrlBuilder) -> list[PropertyDoc]:
    found = []
    for row in store.select(queries.load("ld/ontology_properties")):
        iri = row["property"].value
        found.append(
            PropertyDoc(
                iri=iri,
                href=urls.href(iri),
                kind=local_name(row["kind"].value),
                label=label_of(store, iri),
                definition=text_of(row.get("definition")),
                domains=_split(row.get("domains")),
                ranges=_split(row.get("ranges")),
                supers=_split(row.get("supers")),
                single_valued=text_of(row.get("singleValued")) in {"true", "1"},
                uses=int(text_of(row.get("uses")) or 0),
            )
        )
    return found


@dataclass(frozen=True)
class HeaderEntry:
    property: str
    value: str


@dataclass
class OntologyPage(Page):
    template = "ld/ontology.html"

    iri: str
    header: list[HeaderEntry]
    classes: list[ClassDoc]
    properties: list[PropertyDoc]
    roots: list[ClassDoc] = field(metadata={HIDDEN: False})
    labels: dict[str, str] = field(metadata={HIDDEN: False})


def header(store: KnowledgeStore) -> list[HeaderEntry]:
    ontology = ox.NamedNode(store.namespaces.ontology_iri)
    rows = store.select(queries.load("ld/ontology_header"), bindings={"ontology": ontology})
    return [HeaderEntry(local_name(r["property"].value), r["value"].value) for r in rows]


def ontology_triples(store: KnowledgeStore) -> list[ox.Triple]:
    graph = store.namespaces.ontology_graph
    return [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(graph)]


def ontology_page(store: KnowledgeStore) -> OntologyPage:
    """The documentation of the ontology, read once per build."""
    return store.memo(_ontology_page)


def _ontology_page(store: KnowledgeStore) -> OntologyPage:
    urls = UrlBuilder(store.namespaces, store.path_prefix)
    class_docs = classes(store, urls)
    property_docs = properties(store, urls)
    return OntologyPage(
        iri=store.namespaces.ontology_iri,
        header=header(store),
        classes=class_docs,
        properties=property_docs,
        roots=hierarchy(class_docs),
        labels={d.iri: d.label for d in class_docs} | {p.iri: p.label for p in property_docs},
    )
