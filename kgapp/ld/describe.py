"""``describe(iri)``: everything the graph says about one resource, with who says so.

One query reads every statement in and out of the resource together with its named graph
(:mod:`kgapp.ld.grouping` turns the rows into property groups); the page's other sections come
from :mod:`kgapp.ld.sections`. The same :class:`Description` renders as HTML, JSON and RDF.
"""

from __future__ import annotations

import pyoxigraph as ox

from kgapp import queries
from kgapp.dataset import EVERY_GRAPH
from kgapp.errors import NotFound
from kgapp.ld.claims import Description, PropertyGroup
from kgapp.ld.grouping import group_rows, statement_rows
from kgapp.ld.sections import denials, key_facts, not_stated, related_measures, required_of, with_units
from kgapp.ld.status import status_view
from kgapp.namespaces import RDF_TYPE, Namespaces
from kgapp.readmodel.citing import Build, cite
from kgapp.readmodel.provenance import SourceDocument, passages, source_documents
from kgapp.readmodel.terms import last_resort
from kgapp.store import KnowledgeStore
from kgapp.web.urls import UrlBuilder

LABEL_PROPERTIES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
)
DESCRIPTION_PROPERTIES = (
    "http://purl.org/dc/terms/description",
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://www.w3.org/2000/01/rdf-schema#comment",
)


def exists(store: KnowledgeStore, iri: str) -> bool:
    found = store.query(queries.load("ld/exists"), bindings={"this": ox.NamedNode(iri)}, dataset=EVERY_GRAPH)
    return bool(found)


def describe(
    store: KnowledgeStore, urls: UrlBuilder, iri: str, day: str | None = None, build: Build | None = None
) -> Description:
    """Everything about ``iri``, with its status on ``day`` (else the build's day) and, when
    ``build`` is given, how to cite it; raises NotFound when the store never mentions it."""
    namespaces = store.namespaces
    rows = statement_rows(store, iri)
    if not rows:
        raise NotFound(f"nothing is known about <{iri}>", iri=iri)
    known_passages = passages(store)
    groups = group_rows(rows, urls, namespaces, source_documents(store), known_passages)
    outgoing = [g for g in groups if g.direction == "out"]
    incoming = [g for g in groups if g.direction == "in"]
    _mark_conflicts(store, iri, outgoing)
    with_units(iri, outgoing, store)
    types_group = next((g for g in outgoing if g.property == RDF_TYPE), None)
    types = types_group.values if types_group else []
    type_iris = {t.value.value for t in types}
    sources = _sources_stating(groups)
    label = _first_text(outgoing, LABEL_PROPERTIES) or last_resort(iri, namespaces)
    return Description(
        iri=iri,
        href=urls.href(iri),
        label=label,
        description=_first_text(outgoing, DESCRIPTION_PROPERTIES),
        types=types,
        properties=[g for g in outgoing if g is not types_group],
        referenced_by=incoming,
        sources=sources,
        key_facts=key_facts(groups, namespaces, required_of(store, types)),
        measures=related_measures(store, urls, iri, groups),
        passages=[p for s in sources if (p := known_passages.get((iri, s.iri))) is not None],
        status=status_view(store, urls, iri, type_iris, day),
        not_stated=not_stated(type_iris, outgoing, namespaces),
        denials=denials(store, urls, iri),
        responses=_responses(incoming, namespaces),
        citation=cite(label, iri, build, urls.permanent(iri, int(build.version))) if build else None,
    )


def _responses(incoming: list[PropertyGroup], namespaces: Namespaces) -> int:
    responds_to = str(namespaces.hkus) + "respondsTo"
    return sum(len(g.values) for g in incoming if g.property == responds_to)


def _mark_conflicts(store: KnowledgeStore, iri: str, groups: list[PropertyGroup]) -> None:
    """Flag the properties on which the build found that sources disagree."""
    disputed = {d.property for d in store.disagreements if d.subject == iri}
    for group in groups:
        group.conflict = group.property in disputed


def _first_text(groups: list[PropertyGroup], properties: tuple[str, ...]) -> str | None:
    by_property = {g.property: g for g in groups}
    for prop in properties:
        group = by_property.get(prop)
        if group is None:
            continue
        english = [v for v in group.values if (v.value.language or "en").startswith("en")]
        chosen = english or group.values
        if chosen:
            return chosen[0].value.value
    return None


def _sources_stating(groups: list[PropertyGroup]) -> list[SourceDocument]:
    found = {src.iri: src for g in groups for v in g.values for src in v.sources}
    return sorted(found.values(), key=lambda s: (s.date or "", s.title))
