"""Where sources disagree, kept with each version and brought up to date by a commit.

The rule is :mod:`kgapp.disagreements`' (one query, ``queries/disagreements.rq``); a whole build
runs it on everything. A disagreement is about one subject and one single-valued property, so a
commit runs it again only for the (subject, property) pairs whose triples it changed, in any
graph; a change to which properties are single-valued, or to which document a source graph
holds, runs it on everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from kgapp.disagreements import Disagreement, find
from kgapp.namespaces import Namespaces

DCTERMS_SOURCE = "http://purl.org/dc/terms/source"
Record = dict[str, Any]


def _select(store: ox.Store, bindings: dict[str, ox.NamedNode] | None = None) -> Any:
    def select(sparql: str) -> list[dict[str, Any]]:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): v for k, v in (bindings or {}).items()
        }
        solutions = store.query(sparql, use_default_graph_as_union=False, substitutions=substitutions or None)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        return [{n: s[n] for n in names if s[n] is not None} for s in solutions]

    return select


def ordered(disagreements: Iterable[Disagreement]) -> list[Record]:
    """As records, in the rule's order (subject, then property)."""
    return [d.to_record() for d in sorted(disagreements, key=lambda d: (d.subject, d.property))]


def every_disagreement(store: ox.Store) -> list[Record]:
    """The rule run on the whole store (its default graph is the served union)."""
    return ordered(find(_select(store)))


def single_valued(store: ox.Store, namespaces: Namespaces) -> set[str]:
    found = store.quads_for_pattern(
        None, ox.NamedNode(namespaces.hkus + "singleValued"), ox.Literal(True), ox.DefaultGraph()
    )
    return {q.subject.value for q in found if isinstance(q.subject, ox.NamedNode)}


def updated(
    store: ox.Store, previous: list[Record], changed: Iterable[ox.Quad], namespaces: Namespaces
) -> list[Record]:
    """The disagreements after a commit, ``store`` already holding its result."""
    changed = list(changed)
    marker = namespaces.hkus + "singleValued"
    if any(
        q.predicate.value == marker
        or (q.predicate.value == DCTERMS_SOURCE and q.graph_name == ox.NamedNode(namespaces.meta_graph))
        for q in changed
    ):
        return every_disagreement(store)
    properties = single_valued(store, namespaces)
    touched = {
        (q.subject, q.predicate)
        for q in changed
        if q.predicate.value in properties and isinstance(q.subject, ox.NamedNode)
    }
    if not touched:
        return previous
    keys = {(s.value, p.value) for s, p in touched}
    kept = [Disagreement.from_record(r) for r in previous if (r["subject"], r["property"]) not in keys]
    for subject, predicate in touched:
        kept += find(_select(store, {"subject": subject, "property": predicate}))
    return ordered(kept)
