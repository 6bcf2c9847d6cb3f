"""Delete-and-rederive keeps the closure exact: on random graphs over every OWL 2 RL construct
the engine implements, taking triples out and putting others in gives the closure (and the
inconsistencies) of saturating the result from scratch."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgapp.reasoning import clashes_of, inferred_ids, updated_inferred
from kgapp.reasoning.engine import RuleEngine
from kgapp.reasoning.terms import TermTable
from tests.pipeline.owl2rl_graphs import datasets, ontologies


def saturated(table: TermTable, triples: set[tuple[int, int, int]]) -> RuleEngine:
    engine = RuleEngine(table, triples)
    engine.saturate()
    return engine


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ontology=ontologies, data=datasets, more=datasets, data_choice=st.data())
def test_updating_the_closure_equals_saturating_again(
    ontology: list[ox.Triple], data: list[ox.Triple], more: list[ox.Triple], data_choice: st.DataObject
) -> None:
    table = TermTable()
    before = {table.encode(t) for t in (*ontology, *data)}
    # a few triples at a time, as an edit does (a large removal mostly hits a list or a
    # restriction, which saturates from scratch and so tests nothing)
    removed = set(
        data_choice.draw(st.sets(st.sampled_from(sorted(before)), max_size=3) if before else st.just(set()))
    )
    added = {table.encode(t) for t in more} - before
    engine = saturated(table, before)
    inferred, dropped = inferred_ids(engine)
    engine.update(removed, added)
    expected = saturated(table, (before - removed) | added)
    assert set(engine.index.triples()) == set(expected.index.triples())
    assert clashes_of(engine) == clashes_of(expected)
    # the inferred graph and the noise counts, brought up to date from the changes alone
    assert updated_inferred(engine, inferred, dropped, removed & before, added) == inferred_ids(expected)


def test_a_member_of_a_union_is_rederived_a_subclass_after_another_path_goes() -> None:
    """scm-uni's head subject occurs only in the union's list, which no rule fires on, so the
    union axiom itself must be among the triples fired again (a removal used to lose B ⊑ A)."""
    from tests.pipeline.owl2rl_graphs import EX, OWL, RDFS, n, rdf_list

    a, b, c = (ox.NamedNode(EX + x) for x in "ABC")
    table = TermTable()
    union = [ox.Triple(a, n(OWL + "unionOf"), ox.BlankNode("l")), *rdf_list("l", [b, c])]
    shortcut = table.encode(ox.Triple(b, n(RDFS + "subClassOf"), c))
    before = {table.encode(t) for t in union} | {shortcut}
    engine = saturated(table, before)
    engine.update({shortcut}, set())
    assert table.encode(ox.Triple(b, n(RDFS + "subClassOf"), a)) in set(engine.index.triples())
    assert set(engine.index.triples()) == set(saturated(table, before - {shortcut}).index.triples())


def test_a_removed_triple_a_subproperty_still_gives_stays_and_one_nothing_gives_goes() -> None:
    """Removing a triple that nothing came of skips rederiving, but only when no rule could give
    it back: here a subproperty's triple still gives it."""
    from tests.pipeline.owl2rl_graphs import EX, RDFS, n

    s, o, p, q, r = (ox.NamedNode(EX + x) for x in ("s", "o", "p", "q", "r"))
    table = TermTable()
    kept = table.encode(ox.Triple(s, p, o))
    gone = table.encode(ox.Triple(s, r, o))
    before = {
        table.encode(ox.Triple(q, n(RDFS + "subPropertyOf"), p)),
        table.encode(ox.Triple(s, q, o)),
        kept,
        gone,
    }
    engine = saturated(table, before)
    engine.update({kept, gone}, set())
    closure = set(engine.index.triples())
    assert kept in closure and gone not in closure
    assert closure == set(saturated(table, before - {kept, gone}).index.triples())
