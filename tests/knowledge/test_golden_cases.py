"""Golden cases for the inferred patterns, as data: tests/cases/<kind>/<name>/{input.ttl,expected.ttl}.

- reasoning/: the OWL-RL closure of the project's ontology plus input.ttl, restricted to the
  properties expected.ttl uses, is isomorphic to expected.ttl (acting on behalf of and acts
  attributable to a state, one respondsTo to a law from a response to its passage or approval,
  memberships, what a source describes). Only inferred triples count: the input's own are not.
- status/: the shared status query (kgapp/queries/status_as_of.rq), run over the ontology, the
  input and its inferences on each day expected.ttl asks about, gives exactly expected.ttl's rows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.term import Node

from kgapp import queries
from kgapp.loader import load_project
from kgapp.namespaces import Namespaces
from kgapp.rdflibterms import ox_triples, rdflib_graph
from kgapp.reasoning import infer

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CASES = PROJECT_ROOT / "tests" / "cases"
TC = Namespace("https://w3id.org/hkus/test-case/")


def cases(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


@cache
def ontology() -> Graph:
    return load_project(PROJECT_ROOT, Namespaces()).ontology


def closure_of(case: Path) -> tuple[Graph, Graph]:
    data = Graph().parse(case / "input.ttl")
    inferred = infer(ox_triples(ontology()), ox_triples(data)).inferred
    return data, rdflib_graph(inferred)


def difference(expected: Graph, found: Graph) -> str:
    missing = to_isomorphic(expected) - to_isomorphic(found)
    extra = to_isomorphic(found) - to_isomorphic(expected)
    return f"missing: {sorted(missing)}\nunexpected: {sorted(extra)}"


def test_there_are_golden_cases_of_each_kind() -> None:
    assert len(cases("reasoning")) >= 4
    assert len(cases("status")) >= 3


@pytest.mark.parametrize("case", cases("reasoning"), ids=lambda p: p.name)
def test_reasoning_case_infers_what_is_expected(case: Path) -> None:
    expected = Graph().parse(case / "expected.ttl")
    _, inferred = closure_of(case)
    properties = set(expected.predicates())
    found = Graph()
    for triple in inferred:
        if triple[1] in properties:
            found.add(triple)
    assert isomorphic(found, expected), difference(expected, found)


def status_rows(store: ox.Store, day: str) -> Graph:
    """The status query's answers on ``day`` as triples of the test-case vocabulary."""
    rows = Graph()
    day_bound = {ox.Variable("asOf"): ox.Literal(day)}
    solutions = store.query(queries.load("status_as_of"), substitutions=day_bound)
    assert isinstance(solutions, ox.QuerySolutions)
    for solution in solutions:
        row = BNode()
        rows.add((row, TC.asOf, Literal(day)))
        for name in ("thing", "status", "since", "record", "basis"):
            rows.add((row, TC[name], to_rdflib(solution[name])))
    return rows


def to_rdflib(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        plain = datatype == "http://www.w3.org/2001/XMLSchema#string"
        return Literal(term.value, datatype=None if plain else URIRef(datatype))
    raise AssertionError(f"unexpected term in a status row: {term!r}")


def store_for(case: Path) -> ox.Store:
    data, inferred = closure_of(case)
    store = ox.Store()
    for graph in (ontology(), data, inferred):
        store.load(graph.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


@pytest.mark.parametrize("case", cases("status"), ids=lambda p: p.name)
def test_status_case_answers_as_expected(case: Path) -> None:
    expected = Graph().parse(case / "expected.ttl")
    days = sorted(str(day) for day in expected.objects(TC.case, TC.asks))
    assert days, f"{case.name}: expected.ttl asks about no day (tc:case tc:asks …)"
    expected.remove((TC.case, None, None))
    store = store_for(case)
    found = Graph()
    for day in days:
        found += status_rows(store, day)
    assert isomorphic(found, expected), difference(expected, found)
