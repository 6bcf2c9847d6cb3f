"""A commit's change as quads: every graph of the store it takes quads out of and puts quads in."""

from __future__ import annotations

import pyoxigraph as ox

from kgapp.commits.change import Change
from kgapp.commits.served import ServedDelta, described_quad
from kgapp.namespaces import Namespaces


def commit_delta(
    change: Change, lost: set[ox.Triple], gained: set[ox.Triple], inferred: ServedDelta, ns: Namespaces
) -> ServedDelta:
    """Every quad a commit takes out and puts in: the named graphs', the asserted union's
    (``lost``/``gained``), the reasoning's (``inferred``) and the files graph's."""
    delta = ServedDelta(set(inferred.removed), set(inferred.added))
    for graph, triples in change.removed.items():
        for t in triples:
            delta.take(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)))
    for graph, triples in change.added.items():
        for t in triples:
            delta.put(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)))
    hidden = ox.NamedNode(ns.asserted_graph)
    for t in lost:
        delta.take(ox.Quad(t.subject, t.predicate, t.object, hidden))
    for t in gained:
        delta.put(ox.Quad(t.subject, t.predicate, t.object, hidden))
    for subject, file in change.described_removed:
        delta.take(described_quad(subject, file, ns))
    for subject, file in change.described_added:
        delta.put(described_quad(subject, file, ns))
    return delta
