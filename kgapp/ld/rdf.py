"""An entity's RDF document, read from the data: its statements in and out, each in its named
graph (so TriG and N-Quads say who states each), the citations it carries with their parts, and
the labels of what its statements point to (``kgapp/queries/ld/document.rq``). Triple formats
keep each statement once."""

from __future__ import annotations

import pyoxigraph as ox

from kgapp import queries
from kgapp.formats import Format, serialize_graph
from kgapp.store import KnowledgeStore


def document(store: KnowledgeStore, iri: str, fmt: Format) -> bytes:
    rows = store.select(queries.load("ld/document"), bindings={"this": ox.NamedNode(iri)})
    statements = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows if "g" in r]
    labels = [ox.Triple(r["s"], r["p"], r["o"]) for r in rows if "g" not in r]
    if fmt.is_dataset:
        items: list[ox.Quad] | list[ox.Triple] = list(dict.fromkeys(statements)) + [
            ox.Quad(t.subject, t.predicate, t.object) for t in dict.fromkeys(labels)
        ]
    else:
        unique = dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in statements)
        items = list(unique) + [t for t in dict.fromkeys(labels) if t not in unique]
    return serialize_graph(items, fmt, store.namespaces.prefixes)
