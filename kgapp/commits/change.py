"""A change to the graph, as every writer hands it to a commit: triples out of and into named
graphs, which files describe which subjects, who made it and why.

A change says what should hold afterwards; :meth:`Change.effective` keeps only what differs from
the store (a triple added to a graph that already holds it changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgapp.commits.filerecords import FileRecord
from kgapp.commits.served import Subject, held

Described = tuple[Subject, str]  # (subject, input file that describes it)


class NeedsWholeBuild(Exception):
    """A change whose effect is not computed by delta (an axiom's structure, the ontology or the
    shapes, an earlier text not kept): the version is made by a whole build instead."""


@dataclass
class Change:
    removed: dict[str, set[ox.Triple]] = field(default_factory=dict)  # graph IRI → triples out
    added: dict[str, set[ox.Triple]] = field(default_factory=dict)  # graph IRI → triples in
    described_removed: set[Described] = field(default_factory=set)
    described_added: set[Described] = field(default_factory=set)
    files: dict[str, FileRecord] | None = None  # the input files afterwards; None: as before
    agent: str = ""
    message: str = ""

    def graphs(self) -> set[str]:
        return {g for g, ts in self.removed.items() if ts} | {g for g, ts in self.added.items() if ts}

    def predicates(self) -> set[str]:
        return {t.predicate.value for part in (self.removed, self.added) for ts in part.values() for t in ts}

    def effective(self, store: ox.Store) -> Change:
        """The change without what would not change ``store``: removals of triples its graph does
        not hold, additions of triples it already holds, and both of one triple in one graph; its
        literals as the store gives them back."""
        removed: dict[str, set[ox.Triple]] = {}
        added: dict[str, set[ox.Triple]] = {}
        stored = as_stored([t for part in (self.removed, self.added) for ts in part.values() for t in ts])
        for graph in self.graphs():
            node = ox.NamedNode(graph)
            out = {stored(t) for t in self.removed.get(graph, set())}
            into = {stored(t) for t in self.added.get(graph, set())}
            gone = {t for t in out - into if held(store, t, node)}
            new = {t for t in into - out if not held(store, t, node)}
            if gone:
                removed[graph] = gone
            if new:
                added[graph] = new
        return Change(
            removed,
            added,
            self.described_removed - self.described_added,
            self.described_added - self.described_removed,
            self.files,
            self.agent,
            self.message,
        )

    def is_empty(self) -> bool:
        return not (self.graphs() or self.described_removed or self.described_added)

    def counts(self) -> dict[str, int]:
        return {
            "removed": sum(len(ts) for ts in self.removed.values()),
            "added": sum(len(ts) for ts in self.added.values()),
        }


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def as_stored(triples: list[ox.Triple]) -> Callable[[ox.Triple], ox.Triple]:
    """Each triple as the store will give it back: the store keeps a literal by its value, so
    ``12800000000.0`` comes back as ``12800000000``, and a change compared with what the store
    holds must use that form (a parsed file's removal would otherwise miss the stored triple)."""
    literals = {
        t.object
        for t in triples
        if isinstance(t.object, ox.Literal) and t.object.datatype.value != XSD_STRING
    }
    if not literals:
        return lambda triple: triple
    scratch = ox.Store()
    keys = {literal: ox.NamedNode(f"urn:kgapp:literal:{i}") for i, literal in enumerate(literals)}
    scratch.extend(ox.Quad(key, KEY, literal) for literal, key in keys.items())
    forms = {
        literal: next(scratch.quads_for_pattern(key, None, None)).object for literal, key in keys.items()
    }

    def stored(triple: ox.Triple) -> ox.Triple:
        literal = triple.object
        form = forms.get(literal) if isinstance(literal, ox.Literal) else None
        if form is None or form == literal:
            return triple
        return ox.Triple(triple.subject, triple.predicate, form)

    return stored


KEY = ox.NamedNode("urn:kgapp:literal")
