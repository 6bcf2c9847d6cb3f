"""A value bound into a query sent to a remote store travels as an inline ``VALUES`` at the head
of its pattern: for every named query of the project that takes a bound variable, and things
of every kind, that gives the same answer as the engine's own binding."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgapp import queries
from kgapp.sparqlsyntax import parse_query, write
from kgapp.sparqlsyntax.binding import bind_values, tree_term
from kgapp.store import KnowledgeStore

BOUND = ("this", "thing", "target", "class", "ontology")
THINGS = (
    "https://w3id.org/hkus/id/hong-kong-national-security-law",
    "https://w3id.org/hkus/id/mike-pompeo",
    "https://w3id.org/hkus/id/event-legislators-disqualified",
    "https://w3id.org/hkus/source/hong-kong-united-states-relations",
    "https://w3id.org/hkus/ontology/Law",
    "https://w3id.org/hkus/ontology",
)


def bound_queries() -> list[tuple[str, str]]:
    folder = Path(queries.__file__).parent
    found = []
    for path in sorted(folder.rglob("*.rq")):
        text = path.read_text(encoding="utf-8")
        for name in BOUND:
            if re.search(rf"[?$]{name}\b", text):
                found.append((str(path.relative_to(folder).with_suffix("")), name))
    return found


def inlined(store: KnowledgeStore, text: str, values: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query as a remote store is sent it: the values joined in as inline VALUES."""
    tree = parse_query(text, store.namespaces.prefixes)
    return write(bind_values(tree, {name: tree_term(value) for name, value in values.items()}))


def answer(result: object) -> list[tuple[str, ...]]:
    if isinstance(result, ox.QueryBoolean):
        return [(str(bool(result)),)]
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return sorted(tuple(str(row[n]) for n in names) for row in result)
    return sorted(str(t) for t in result)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "variable"), bound_queries())
def test_inline_values_answer_as_bindings_do(built_store: KnowledgeStore, name: str, variable: str) -> None:
    text = queries.load(name)
    compared = 0
    for iri in THINGS:
        try:
            expected = answer(built_store.query(text, bindings={variable: ox.NamedNode(iri)}))
        except RuntimeError:  # the engine binds only variables a SELECT projects
            continue
        sent = inlined(built_store, text, {variable: ox.NamedNode(iri)})
        assert answer(built_store.query(sent)) == expected, iri
        compared += 1
    assert compared or "SELECT" in text.upper(), name


@pytest.mark.parametrize("name", ["status_as_of", "examples/04-status-as-of-date"])
@pytest.mark.parametrize("day", ["2020-06-30", "2020-07-15", "1997-07-01"])
def test_a_day_bound_inside_a_subquery_answers_as_the_engines_binding(
    built_store: KnowledgeStore, name: str, day: str
) -> None:
    """The status queries read ?asOf inside a subquery: the value must be bound there too."""
    text = queries.load(name)
    if "?asOf" not in text:
        pytest.skip(f"{name} takes no day")
    thing = "https://w3id.org/hkus/id/hong-kong-national-security-law"
    bound = {"thing": ox.NamedNode(thing), "asOf": ox.Literal(day)}
    expected = answer(built_store.query(text, bindings=bound))
    assert answer(built_store.query(inlined(built_store, text, bound))) == expected


def test_there_are_bound_queries_to_compare() -> None:
    assert len(bound_queries()) >= 15
