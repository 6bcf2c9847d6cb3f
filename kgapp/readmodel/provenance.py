"""Who says so: the named graph of a statement, turned into a source document, the project's
registry, the ontology or inference; and where in a document it is said (its passage). Source
metadata and passages are read once per build and kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kgapp import queries
from kgapp.namespaces import Namespaces
from kgapp.readmodel import HIDDEN
from kgapp.readmodel.links import Links
from kgapp.readmodel.terms import last_resort, text_of
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


@dataclass(frozen=True)
class Credit:
    """The report, office or speaker a source credits for what it says."""

    iri: str
    href: str | None
    label: str


@dataclass(frozen=True)
class Passage:
    """Where one source says what it says about one thing (``kgapp/queries/citations.rq``): the
    blocks of text, whom the source credits, how an implied fact was derived, the words quoted."""

    source: str
    paragraphs: tuple[int, ...]
    according_to: tuple[Credit, ...] = ()
    derivations: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()

    @property
    def locator(self) -> str:
        """``¶ 9`` or ``¶ 3, 5``: the paragraphs, counted from the top of the document."""
        return "¶ " + ", ".join(str(p) for p in self.paragraphs) if self.paragraphs else ""


@dataclass(frozen=True)
class Provenance:
    """Where one statement comes from. ``kind`` is source, editorial, inferred, ontology,
    shapes, meta or graph (any other named graph); ``source`` the document's IRI, if any;
    ``passage`` where in that document the fact the statement belongs to is told."""

    kind: str
    graph: str
    source: str | None = None
    document: SourceDocument | None = field(default=None, metadata={HIDDEN: False})
    passage: Passage | None = None

    @property
    def label(self) -> str:
        if self.document is not None:
            return self.document.title
        return GRAPH_KIND_LABELS.get(self.kind, self.graph)

    @property
    def explanation(self) -> str:
        return GRAPH_KIND_EXPLANATIONS.get(self.kind, "")


# What a reader is told for statements that no source document makes.
GRAPH_KIND_LABELS = {
    "editorial": "our registry",
    "inferred": "inferred",
    "ontology": "ontology",
    "shapes": "shapes",
    "meta": "build metadata",
}
GRAPH_KIND_EXPLANATIONS = {
    "editorial": "The project's own registry of names, types and descriptions, in its own words: "
    "no source document states it.",
    "inferred": "Follows from the ontology by OWL-RL reasoning over what the sources state; "
    "no source states it as such.",
    "ontology": "Part of the ontology, the project's vocabulary.",
}


def source_documents(store: KnowledgeStore) -> dict[str, SourceDocument]:
    """Source graph IRI → its document, read once per build."""
    return store.memo(_read_source_documents)


def _read_source_documents(store: KnowledgeStore) -> dict[str, SourceDocument]:
    urls = Links(store.namespaces, store.path_prefix)
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


Passages = dict[tuple[str, str], Passage]


def passages(store: KnowledgeStore) -> Passages:
    """(thing, source document) → where that document tells of the thing, read once per build."""
    return store.memo(_read_passages)


def _read_passages(store: KnowledgeStore) -> Passages:
    urls = Links(store.namespaces, store.path_prefix)
    found: dict[tuple[str, str], dict[str, dict[Any, None]]] = {}
    for row in store.select(queries.load("citations")):
        key = (row["this"].value, row["source"].value)
        aspects = found.setdefault(key, {"paragraphs": {}, "credits": {}, "derivations": {}, "quotes": {}})
        aspects["paragraphs"][int(row["paragraph"].value)] = None
        if "accordingTo" in row:
            iri = row["accordingTo"].value
            label = text_of(row.get("accordingToLabel")) or last_resort(iri, store.namespaces)
            aspects["credits"][Credit(iri, urls.href(iri), label)] = None
        for name, variable in (("derivations", "derivation"), ("quotes", "quote")):
            if variable in row:
                aspects[name][row[variable].value] = None
    return {
        key: Passage(
            source=key[1],
            paragraphs=tuple(sorted(a["paragraphs"])),
            according_to=tuple(a["credits"]),
            derivations=tuple(a["derivations"]),
            quotes=tuple(a["quotes"]),
        )
        for key, a in found.items()
    }


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


def provenance_of(
    graph: str,
    namespaces: Namespaces,
    sources: dict[str, SourceDocument],
    known_passages: Passages | None = None,
    fact: str | None = None,
) -> Provenance:
    """Who states a statement held in ``graph``; with the passage of ``fact`` (the thing the
    statement is about) in that source, when ``known_passages`` has one."""
    document = sources.get(graph)
    iri = document.iri if document else None
    passage = (known_passages or {}).get((fact, iri)) if fact and iri else None
    return Provenance(
        kind=graph_kind(graph, namespaces), graph=graph, source=iri, document=document, passage=passage
    )
