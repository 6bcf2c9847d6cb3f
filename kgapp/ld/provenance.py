"""Who says so: the named graph of a statement, turned into a source document, the editorial
registry, the ontology or inference. Source metadata is read once per build and kept."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgapp import queries
from kgapp.ld.terms import text_of
from kgapp.ld.urls import UrlBuilder
from kgapp.namespaces import Namespaces
from kgapp.store import KnowledgeStore


@dataclass(frozen=True)
class SourceDocument:
    iri: str
    href: str | None
    graph: str
    title: str
    publisher: str | None
    date: str | None
    url: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "title": self.title,
            "publisher": self.publisher,
            "date": self.date,
            "url": self.url,
            "graph": self.graph,
        }


@dataclass(frozen=True)
class Provenance:
    """Where one statement comes from. ``kind`` is source, editorial, inferred, ontology,
    shapes, meta or graph (any other named graph)."""

    kind: str
    graph: str
    source: SourceDocument | None = None

    @property
    def label(self) -> str:
        if self.source is not None:
            return self.source.title
        return GRAPH_KIND_LABELS.get(self.kind, self.graph)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "graph": self.graph}
        if self.source is not None:
            data["source"] = self.source.iri
        return data


GRAPH_KIND_LABELS = {
    "editorial": "editorial registry",
    "inferred": "inferred (OWL-RL)",
    "ontology": "ontology",
    "shapes": "shapes",
    "meta": "build metadata",
}

_cache: dict[Path, dict[str, SourceDocument]] = {}
_cache_lock = threading.Lock()


def source_documents(store: KnowledgeStore, urls: UrlBuilder) -> dict[str, SourceDocument]:
    """Source graph IRI → its document, read once per build."""
    with _cache_lock:
        cached = _cache.get(store.build_dir)
    if cached is not None:
        return cached
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
    with _cache_lock:
        _cache.clear()
        _cache[store.build_dir] = found
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
    kind = graph_kind(graph, namespaces)
    return Provenance(kind=kind, graph=graph, source=sources.get(graph))
