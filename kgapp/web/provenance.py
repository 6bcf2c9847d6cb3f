"""Who says so: the named graph of a statement, turned into a source document, the editorial
registry, the ontology or inference. Source metadata is read once per build and kept."""

from __future__ import annotations

from dataclasses import dataclass, field

from kgapp import queries
from kgapp.namespaces import Namespaces
from kgapp.store import KnowledgeStore
from kgapp.web.jsonview import HIDDEN
from kgapp.web.terms import text_of
from kgapp.web.urls import UrlBuilder


@dataclass(frozen=True)
class SourceDocument:
    iri: str
    href: str | None
    graph: str
    title: str
    publisher: str | None
    date: str | None
    url: str | None


@dataclass(frozen=True)
class Provenance:
    """Where one statement comes from. ``kind`` is source, editorial, inferred, ontology,
    shapes, meta or graph (any other named graph); ``source`` the document's IRI, if any."""

    kind: str
    graph: str
    source: str | None = None
    document: SourceDocument | None = field(default=None, metadata={HIDDEN: False})

    @property
    def label(self) -> str:
        if self.document is not None:
            return self.document.title
        return GRAPH_KIND_LABELS.get(self.kind, self.graph)


GRAPH_KIND_LABELS = {
    "editorial": "editorial registry",
    "inferred": "inferred (OWL-RL)",
    "ontology": "ontology",
    "shapes": "shapes",
    "meta": "build metadata",
}


def source_documents(store: KnowledgeStore) -> dict[str, SourceDocument]:
    """Source graph IRI → its document, read once per build."""
    return store.memo(_read_source_documents)


def _read_source_documents(store: KnowledgeStore) -> dict[str, SourceDocument]:
    urls = UrlBuilder(store.namespaces)
    found = {}
    for row in store.select(queries.load("ld/source_documents")):
        iri = row["source"].value
        found[row["graph"].value] = SourceDocument(
            iri=iri,
            href=urls.href(iri),
            graph=row["graph"].value,
            title=text_of(row.get("title")) or iri,
            publisher=text_of(row.get("publisher")),
            date=text_of(row.get("date")),
            url=text_of(row.get("url")),
        )
    return found


def graph_kind(graph: str, namespaces: Namespaces) -> str:
    if namespaces.is_source_graph(graph):
        return "source"
    named = {
        namespaces.entities_graph: "editorial",
        namespaces.inferred_graph: "inferred",
        namespaces.ontology_graph: "ontology",
        namespaces.shapes_graph: "shapes",
        namespaces.meta_graph: "meta",
    }
    return named.get(graph, "graph")


def provenance_of(graph: str, namespaces: Namespaces, sources: dict[str, SourceDocument]) -> Provenance:
    document = sources.get(graph)
    iri = document.iri if document else None
    return Provenance(kind=graph_kind(graph, namespaces), graph=graph, source=iri, document=document)
