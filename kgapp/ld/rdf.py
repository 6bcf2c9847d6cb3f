"""A :class:`Description` as RDF: its statements in and out, the labels of what they point to, the
citation of each source (the page shows it as that source's passage), and — in dataset formats
(TriG, N-Quads) — the named graph, hence the source, of each."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from kgapp.formats import Format, serialize_graph
from kgapp.ld.claims import Description, PropertyGroup
from kgapp.namespaces import RDF_TYPE, Namespaces
from kgapp.readmodel.terms import label_literal, to_rdf

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def _group_quads(this: ox.NamedNode, group: PropertyGroup) -> Iterator[ox.Quad]:
    predicate = ox.NamedNode(group.property)
    for stated in group.values:
        value = to_rdf(stated.value)
        subject: Any = this
        obj: Any = value
        if group.direction == "in":
            if isinstance(value, ox.Literal):
                continue
            subject, obj = value, this
        for provenance in stated.provenance:
            yield ox.Quad(subject, predicate, obj, ox.NamedNode(provenance.graph))


def _label_triples(description: Description) -> Iterator[ox.Triple]:
    for group in [g for g in [*description.properties, *description.referenced_by] if not g.via_citation]:
        if group.term.labelled:
            yield ox.Triple(ox.NamedNode(group.property), RDFS_LABEL, label_literal(group.term))
        for stated in group.values:
            if stated.value.kind == "iri" and stated.value.labelled:
                yield ox.Triple(ox.NamedNode(stated.value.value), RDFS_LABEL, label_literal(stated.value))


def _citation_quads(description: Description, namespaces: Namespaces) -> Iterator[ox.Quad]:
    """``this hkus:citation [ inDocument, paragraph, accordingTo, derivation ]`` in each source's graph."""
    hkus = str(namespaces.hkus)
    graphs = {source.iri: ox.NamedNode(source.graph) for source in description.sources}
    this = ox.NamedNode(description.iri)
    for passage in description.passages:
        graph, citation = graphs[passage.source], ox.BlankNode()
        yield ox.Quad(this, ox.NamedNode(hkus + "citation"), citation, graph)
        yield ox.Quad(citation, ox.NamedNode(hkus + "inDocument"), ox.NamedNode(passage.source), graph)
        for paragraph in passage.paragraphs:
            yield ox.Quad(citation, ox.NamedNode(hkus + "paragraph"), ox.Literal(paragraph), graph)
        for credit in passage.according_to:
            yield ox.Quad(citation, ox.NamedNode(hkus + "accordingTo"), ox.NamedNode(credit.iri), graph)
        for derivation in passage.derivations:
            literal = ox.Literal(derivation, language="en")
            yield ox.Quad(citation, ox.NamedNode(hkus + "derivation"), literal, graph)


def quads(description: Description, namespaces: Namespaces) -> list[ox.Quad]:
    this = ox.NamedNode(description.iri)
    type_group = PropertyGroup(property=RDF_TYPE, label="type", definition=None, values=description.types)
    found: list[ox.Quad] = []
    for group in [type_group, *description.properties, *description.referenced_by]:
        if not group.via_citation:
            found.extend(_group_quads(this, group))
    found.extend(_citation_quads(description, namespaces))
    return found


def serialize(description: Description, fmt: Format, namespaces: Namespaces) -> bytes:
    statements = quads(description, namespaces)
    labels = list(_label_triples(description))
    if fmt.is_dataset:
        items: list[ox.Quad] | list[ox.Triple] = statements + [
            ox.Quad(t.subject, t.predicate, t.object) for t in labels
        ]
    else:
        unique = dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in statements)
        items = list(unique) + [t for t in dict.fromkeys(labels) if t not in unique]
    return serialize_graph(items, fmt, namespaces.prefixes)
