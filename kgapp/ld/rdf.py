"""A :class:`Description` as RDF: its statements in and out, the labels of what they point to,
and — in dataset formats (TriG, N-Quads) — the named graph, hence the source, of each."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from kgapp.ld.describe import RDF_TYPE, Description, PropertyGroup
from kgapp.ld.formats import Format
from kgapp.ld.terms import Term, label_literal, to_rdf
from kgapp.namespaces import Namespaces

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def _group_quads(this: ox.NamedNode, group: PropertyGroup) -> Iterator[ox.Quad]:
    predicate = ox.NamedNode(group.property.value)
    for statement in group.statements:
        value = to_rdf(statement.value)
        subject: Any = this
        obj: Any = value
        if group.direction == "in":
            if isinstance(value, ox.Literal):
                continue
            subject, obj = value, this
        for provenance in statement.provenance:
            yield ox.Quad(subject, predicate, obj, ox.NamedNode(provenance.graph))


def _label_triples(description: Description) -> Iterator[ox.Triple]:
    groups = [*description.outgoing, *description.incoming]
    for group in groups:
        if group.property.labelled:
            label = label_literal(group.property)
            yield ox.Triple(ox.NamedNode(group.property.value), RDFS_LABEL, label)
        for statement in group.statements:
            if statement.value.kind == "iri" and statement.value.labelled:
                label = label_literal(statement.value)
                yield ox.Triple(ox.NamedNode(statement.value.value), RDFS_LABEL, label)


def quads(description: Description) -> list[ox.Quad]:
    this = ox.NamedNode(description.iri)
    type_group = PropertyGroup(
        property=Term("iri", RDF_TYPE, "type"), direction="out", definition=None, statements=description.types
    )
    found: list[ox.Quad] = []
    for group in [type_group, *description.outgoing, *description.incoming]:
        found.extend(_group_quads(this, group))
    return found


def serialize(description: Description, fmt: Format, namespaces: Namespaces) -> bytes:
    if fmt.rdf is None:
        raise ValueError(f"{fmt.name} is not an RDF format")
    statements = quads(description)
    labels = list(_label_triples(description))
    if fmt.is_dataset:
        items: list = statements + [ox.Quad(t.subject, t.predicate, t.object) for t in labels]
    else:
        unique = dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in statements)
        items = list(unique) + [t for t in dict.fromkeys(labels) if t not in unique]
    body = ox.serialize(items, format=fmt.rdf, prefixes=namespaces.prefixes)
    assert body is not None  # no output file given: the bytes are returned
    return body
