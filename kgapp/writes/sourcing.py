"""The sourcing rule: every fact a write puts in the graph names the document that states it.

A write may change the registry (``graph/entities``, our own names and descriptions: credited to
the curator who writes) and the graphs of source documents. A source's graph holds what its
document states, and the document itself: a write that makes a new source's graph describes the
document in the same request (title, publisher, address, date), and no write leaves a source's
facts without that description. The rule is a setting (``require_sources``), on by default; a
deployment that runs the W3C suites, whose graphs are no sources of ours, switches it off.

Whatever the setting, a source's graph is linked to its document in the meta graph as the build
links it (``<graph> dcterms:source <document>``): :func:`with_meta_links` adds the link for a new
source's graph and takes it away with the last triple of one.
"""

from __future__ import annotations

import pyoxigraph as ox

from kgapp.commits.change import Change
from kgapp.errors import KGError
from kgapp.namespaces import RDF_TYPE, Namespaces

DCTERMS_SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")


class NotSourced(KGError):
    title = "Not sourced"
    status = 422


def required_metadata(namespaces: Namespaces) -> dict[str, str]:
    """What a source's graph must say about its document: property → what to call it."""
    hkus = str(namespaces.hkus)
    return {
        hkus + "title": "its title (hkus:title)",
        hkus + "publisher": "its publisher (hkus:publisher)",
        hkus + "url": "its web address (hkus:url)",
        hkus + "published": "its date (hkus:published)",
    }


def document_of(graph: str, namespaces: Namespaces) -> ox.NamedNode:
    return ox.NamedNode(str(namespaces.source) + graph[len(str(namespaces.graph) + "source/") :])


def check_sourced(change: Change, store: ox.Store, namespaces: Namespaces) -> None:
    """NotSourced when ``change`` (effective) puts a fact outside the registry and the sources'
    graphs, or leaves a source's graph holding facts without the description of its document."""
    for graph in sorted(change.graphs()):
        if graph == namespaces.entities_graph:
            continue
        if graph == namespaces.unnamed_graph:
            raise NotSourced(
                "this write puts triples in the default graph, which names no source. Every fact in this "
                "graph names the document that states it: write it into that source's graph "
                f"(GRAPH <{namespaces.graph}source/…> {{ … }}), or into the registry "
                f"(GRAPH <{namespaces.entities_graph}> {{ … }}) if it is a name or description of ours",
                graph=graph,
            )
        if not namespaces.is_source_graph(graph):
            raise NotSourced(
                f"this write changes <{graph}>, which is neither a source's graph nor the registry "
                f"<{namespaces.entities_graph}>. Every fact in this graph names the document that states "
                f"it: write it into that source's graph (<{namespaces.graph}source/…>), creating the "
                "source in the same request if it is new (its hkus:SourceDocument with title, publisher, "
                "web address and date), or into the registry if it is a name or description of ours",
                graph=graph,
            )
        if not _holds_anything(change, store, graph):
            continue  # the source's graph is emptied: the source goes, with its description
        document = document_of(graph, namespaces)
        missing = [
            what
            for predicate, what in required_metadata(namespaces).items()
            if not _values(change, store, graph, document, predicate)
        ]
        typed = ox.NamedNode(str(namespaces.hkus.SourceDocument)) in _values(
            change, store, graph, document, RDF_TYPE
        )
        if missing or not typed:
            lacking = ([] if typed else ["its type (a hkus:SourceDocument)"]) + missing
            raise NotSourced(
                f"after this write, the graph <{graph}> would hold facts without describing the document "
                f"that states them, <{document.value}>: it lacks {', '.join(lacking)}. Describe the "
                "document in the same request, or keep its description while its facts remain",
                graph=graph,
                document=document.value,
            )


def with_meta_links(change: Change, store: ox.Store, namespaces: Namespaces) -> Change:
    """``change`` with the meta graph's link from each source graph it creates or empties."""
    meta = namespaces.meta_graph
    for graph in sorted(change.graphs()):
        if not namespaces.is_source_graph(graph):
            continue
        link = ox.Triple(ox.NamedNode(graph), DCTERMS_SOURCE, document_of(graph, namespaces))
        linked = next(
            store.quads_for_pattern(link.subject, link.predicate, link.object, ox.NamedNode(meta)), None
        )
        holds = _holds_anything(change, store, graph)
        if holds and linked is None:
            change.added.setdefault(meta, set()).add(link)
        elif not holds and linked is not None:
            change.removed.setdefault(meta, set()).add(link)
    return change


def _values(
    change: Change, store: ox.Store, graph: str, subject: ox.NamedNode, predicate: str
) -> set[object]:
    node, removed = ox.NamedNode(graph), change.removed.get(graph, set())
    found: set[object] = {
        q.object
        for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None, node)
        if ox.Triple(q.subject, q.predicate, q.object) not in removed
    }
    found.update(
        t.object
        for t in change.added.get(graph, ())
        if t.subject == subject and t.predicate.value == predicate
    )
    return found


def _holds_anything(change: Change, store: ox.Store, graph: str) -> bool:
    if change.added.get(graph):
        return True
    removed = change.removed.get(graph, set())
    for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
        if ox.Triple(quad.subject, quad.predicate, quad.object) not in removed:
            return True
    return False
