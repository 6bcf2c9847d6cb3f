"""The writes of the SPARQL 1.1 Graph Store HTTP Protocol and of SPARQL Update, as changes.

Each function here gives what :func:`kgapp.writes.submit.submit` runs inside the writer: a
function of the writer that reads its live store and returns the change. The graph ``None`` is
the graph store's default graph (the hidden unnamed graph, see :mod:`kgapp.writes.evaluate`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from urllib.parse import urljoin

import pyoxigraph as ox

import kgapp.sparqlsyntax.operations as o
import kgapp.sparqlsyntax.tree as t
from kgapp.commits.change import Change
from kgapp.commits.live import write_marker
from kgapp.commits.writer import Writer
from kgapp.errors import KGError, NotFound
from kgapp.formats import INPUT_FORMATS, Format
from kgapp.namespaces import Namespaces
from kgapp.sparqlsyntax import parse_update
from kgapp.writes.evaluate import Evaluation, GraphStore, exists
from kgapp.writes.submit import MakeChange
from kgapp.writes.templates import fresh_blank_nodes


class UnsupportedMediaType(KGError):
    title = "Unsupported media type"
    status = 415


def body_format(content_type: str | None) -> Format:
    """The RDF format a request body's ``Content-Type`` names."""
    media_type = (content_type or "").partition(";")[0].strip().lower()
    for fmt in INPUT_FORMATS:
        if fmt.rdf is not None and media_type in (fmt.media_type, *fmt.aliases):
            return fmt
    known = ", ".join(f.media_type for f in INPUT_FORMATS if f.rdf is not None)
    raise UnsupportedMediaType(
        f"the body's Content-Type {media_type or '(none)'!r} is not an RDF syntax this graph store reads "
        f"({known})",
        content_type=media_type,
    )


def parse_graph(body: bytes, fmt: Format, base_iri: str) -> list[ox.Triple]:
    """The triples of a request body, blank nodes new ones; 400 naming the line where it is not
    the syntax it says it is. A dataset syntax may only use the default graph."""
    assert fmt.rdf is not None
    try:
        quads = list(ox.parse(input=body, format=fmt.rdf, base_iri=base_iri))
    except SyntaxError as exc:
        raise KGError(f"the body is not {fmt.label}: {exc}") from None
    if any(not isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
        raise KGError(f"a graph is sent as triples: this {fmt.label} body names a graph inside it")
    return [ox.Triple(q.subject, q.predicate, q.object) for q in fresh_blank_nodes(quads)]


def graph_iri(raw: str, base_url: str) -> str:
    """The graph a request names: a relative reference resolved against the request's URL, as the
    Graph Store Protocol says; 400 naming it when it is no IRI."""
    iri = urljoin(base_url, raw.strip())
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise KGError(f"graph={raw!r} is not an IRI", graph=raw) from None
    return iri


def graph_node(graph: str | None, namespaces: Namespaces) -> ox.NamedNode:
    return ox.NamedNode(graph if graph is not None else namespaces.unnamed_graph)


def _checked(writer: Writer, graph: str | None) -> tuple[ox.Store, ox.NamedNode]:
    assert writer.live is not None
    node = graph_node(graph, writer.namespaces)
    GraphStore(writer.namespaces).check_writable(node)
    return writer.live, node


def _held(store: ox.Store, node: ox.NamedNode) -> set[ox.Triple]:
    return {
        ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, node)
    }


def replace_graph(graph: str | None, triples: Iterable[ox.Triple]) -> MakeChange:
    """PUT: the graph holds these triples and no other."""

    def make(writer: Writer) -> Change:
        store, node = _checked(writer, graph)
        return Change(removed={node.value: _held(store, node)}, added={node.value: set(triples)})

    return make


def add_to_graph(graph: str | None, triples: Iterable[ox.Triple]) -> MakeChange:
    """POST: the triples are merged into the graph."""

    def make(writer: Writer) -> Change:
        _, node = _checked(writer, graph)
        return Change(added={node.value: set(triples)})

    return make


def delete_graph(graph: str | None) -> MakeChange:
    """DELETE: the graph is emptied (and, being empty, is no more); 404 when there is none."""

    def make(writer: Writer) -> Change:
        store, node = _checked(writer, graph)
        if graph is not None and not exists(store, node):
            raise NotFound(f"there is no graph <{node.value}> in the graph store")
        return Change(removed={node.value: _held(store, node)})

    return make


def graph_exists(writer: Writer, graph: str | None) -> bool:
    assert writer.live is not None
    return graph is None or exists(writer.live, graph_node(graph, writer.namespaces))


def parse(text: str, namespaces: Namespaces, base_iri: str) -> o.Update:
    return parse_update(text, namespaces.prefixes, base_iri)


def with_protocol_dataset(update: o.Update, using: list[str], using_named: list[str]) -> o.Update:
    """The protocol's ``using-graph-uri`` and ``using-named-graph-uri``, as a ``USING`` on each
    operation with a ``WHERE``; an update that names its own dataset may not be given one too."""
    if not using and not using_named:
        return update
    for operation in update.operations:
        if isinstance(operation, o.Modify) and (operation.using or operation.with_graph is not None):
            raise KGError(
                "the update names its dataset (USING or WITH) and the request names one too "
                "(using-graph-uri, using-named-graph-uri): the protocol allows one of them only"
            )
    clauses = [t.DatasetClause(t.Iri(g), False) for g in using] + [
        t.DatasetClause(t.Iri(g), True) for g in using_named
    ]
    operations = [
        replace(op, using=list(clauses)) if isinstance(op, o.Modify) else op for op in update.operations
    ]
    return o.Update(operations, update.bases)


def run_update(update: o.Update, timeout_s: float) -> MakeChange:
    """SPARQL Update: its operations in order, as one change."""

    def make(writer: Writer) -> Change:
        assert writer.live is not None

        def mark_dirty() -> None:  # the live store is about to differ from its version
            write_marker(writer.data_dir, replace(writer.marker, clean=False))

        evaluation = Evaluation(writer.live, GraphStore(writer.namespaces), mark_dirty, timeout_s)
        change = evaluation.run(update)
        if evaluation.edited:  # every edit is taken back: the live store is its version again
            write_marker(writer.data_dir, replace(writer.marker, clean=True))
        return change

    return make


def graphs_named(change: Change) -> Mapping[str, int]:
    """Triples changed per graph (for a response that says what a write did)."""
    counts: dict[str, int] = {}
    for part in (change.removed, change.added):
        for graph, triples in part.items():
            counts[graph] = counts.get(graph, 0) + len(triples)
    return counts
