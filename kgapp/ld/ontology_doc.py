"""The ontology IRI: human-readable documentation in HTML, the ontology file in every RDF format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from flask import Response, jsonify, render_template

from kgapp import queries
from kgapp.ld.formats import HTML, JSON, Format
from kgapp.ld.responses import rdf_response, with_links
from kgapp.ld.terms import local_name, text_of
from kgapp.ld.urls import UrlBuilder
from kgapp.namespaces import Namespaces
from kgapp.store import KnowledgeStore


@dataclass
class ClassDoc:
    iri: str
    href: str | None
    label: str
    definition: str | None
    supers: list[str]
    shapes: list[str]
    instances: int
    children: list[ClassDoc] = field(default_factory=list)


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
    return (text_of(term) or "").split()


def classes(store: KnowledgeStore, urls: UrlBuilder) -> list[ClassDoc]:
    found = []
    for row in store.select(queries.load("ld/ontology_classes")):
        iri = row["class"].value
        found.append(
            ClassDoc(
                iri=iri,
                href=urls.href(iri),
                label=text_of(row.get("label")) or local_name(iri),
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
                label=text_of(row.get("label")) or local_name(iri),
                definition=text_of(row.get("definition")),
                domains=_split(row.get("domains")),
                ranges=_split(row.get("ranges")),
                supers=_split(row.get("supers")),
                single_valued=text_of(row.get("singleValued")) in {"true", "1"},
                uses=int(text_of(row.get("uses")) or 0),
            )
        )
    return found


def header(store: KnowledgeStore) -> list[tuple[str, str]]:
    rows = store.select(queries.load("ld/ontology_header"))
    return [(local_name(r["property"].value), r["value"].value) for r in rows]


def ontology_triples(store: KnowledgeStore, namespaces: Namespaces) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(namespaces.ontology_graph)]


def represent(store: KnowledgeStore, namespaces: Namespaces, fmt: Format, alternates: list) -> Response:
    urls = UrlBuilder(namespaces)
    if fmt.is_rdf:
        triples = ontology_triples(store, namespaces)
        graph = ox.NamedNode(namespaces.ontology_graph)
        items: list = (
            [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples] if fmt.is_dataset else triples
        )
        serialized = ox.serialize(items, format=fmt.rdf, prefixes=namespaces.prefixes)
        assert serialized is not None  # no output file given: the bytes are returned
        return rdf_response(serialized, fmt, alternates)
    class_docs = classes(store, urls)
    property_docs = properties(store, urls)
    if fmt is JSON:
        body = {
            "iri": namespaces.ontology_iri,
            "header": dict(header(store)),
            "classes": [_plain(c) for c in class_docs],
            "properties": [vars(p) for p in property_docs],
        }
        return with_links(jsonify(body), alternates)
    assert fmt is HTML
    labels = {d.iri: d.label for d in class_docs} | {p.iri: p.label for p in property_docs}
    html = render_template(
        "ld/ontology.html",
        iri=namespaces.ontology_iri,
        header=header(store),
        roots=hierarchy(class_docs),
        classes=class_docs,
        properties=property_docs,
        labels=labels,
        urls=urls,
        alternates=alternates,
    )
    return with_links(Response(html, mimetype="text/html"), alternates)


def _plain(doc: ClassDoc) -> dict[str, Any]:
    return {k: v for k, v in vars(doc).items() if k != "children"}
