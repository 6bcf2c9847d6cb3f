"""A commit's reasoning: the OWL 2 RL closure brought up to date by delete-and-rederive
(:meth:`kgapp.reasoning.engine.RuleEngine.update`), joined against the store
(:mod:`kgapp.commits.closure`) instead of a closure held in memory.

What the engine reports as changed is placed in the store's graphs as a whole build places it
(:mod:`kgapp.commits.served`): a triple of the closure that is not asserted goes to the inferred
graph, or to the entailment graph when no page should show it (:func:`kgapp.reasoning.noise_kind`);
the default graph holds what is asserted or inferred. A change to an axiom's structure (a list,
a restriction) is not done by delta: the commit is made as a whole build instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgapp.commits.change import NeedsWholeBuild
from kgapp.commits.closure import StoreAsserted, StoreIndex
from kgapp.commits.poststate import StoreOrigins
from kgapp.commits.served import DEFAULT, ServedDelta, held
from kgapp.namespaces import Namespaces
from kgapp.reasoning import clashes_of, noise_kind
from kgapp.reasoning.engine import RuleEngine, is_structural
from kgapp.reasoning.schema import Schema
from kgapp.reasoning.terms import IntTriple, TermTable


@dataclass
class Reasoned:
    delta: ServedDelta = field(default_factory=ServedDelta)
    clashes: list[str] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)  # change in the noise kept out of view


def reason(
    store: ox.Store,
    lost: set[ox.Triple],
    gained: set[ox.Triple],
    namespaces: Namespaces,
    origins: StoreOrigins,
) -> Reasoned:
    """The inferred, entailment and default graphs' changes when the asserted union loses
    ``lost`` and gains ``gained``."""
    table = TermTable()
    removed = {table.encode(t) for t in lost}
    added = {table.encode(t) for t in gained}
    if any(is_structural(t) for t in removed | added):
        raise NeedsWholeBuild("the change reshapes an axiom (a list or a restriction)")
    inferred_graph = ox.NamedNode(namespaces.inferred_graph)
    entailed_graph = ox.NamedNode(namespaces.entailed_graph)
    asserted = StoreAsserted(store, table, ox.NamedNode(namespaces.asserted_graph))
    engine = RuleEngine(table, ())
    engine.asserted = asserted
    engine.index = StoreIndex(store, table, [DEFAULT, entailed_graph])
    engine.schema = Schema.read(engine.index)
    engine.update(removed, added)
    result = Reasoned(clashes=clashes_of(engine, origins.files_mentioning))
    candidates: set[IntTriple] = set(engine.changes or {}) | removed | added
    for triple in candidates:
        s, p, o = (table.terms[i] for i in triple)
        if isinstance(s, ox.Literal) or not isinstance(p, ox.NamedNode):
            continue  # a store cannot hold it (a literal subject): no page or rule reads it back
        statement = ox.Triple(s, p, o)
        now_asserted = triple in engine.asserted
        now_closed = engine.index.has(*triple)
        noise = noise_kind(s, p, o) if now_closed and not now_asserted else None
        now_inferred = now_closed and not now_asserted and noise is None
        now_entailed = now_closed and not now_asserted and noise is not None
        was_inferred = held(store, statement, inferred_graph)
        was_entailed = held(store, statement, entailed_graph)
        result.delta.place(statement, inferred_graph, was_inferred, now_inferred)
        result.delta.place(statement, entailed_graph, was_entailed, now_entailed)
        result.delta.place(statement, DEFAULT, held(store, statement, DEFAULT), now_asserted or now_inferred)
        if was_entailed != now_entailed:
            kind = noise or noise_kind(s, p, o) or "other"
            result.dropped[kind] += 1 if now_entailed else -1
    return result
