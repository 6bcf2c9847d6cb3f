"""Which queries read no data and compute nothing, and may be answered without a query process."""

from __future__ import annotations

import pytest

from kgapp.sparqlsyntax.constant import reads_no_data


@pytest.mark.parametrize(
    "query",
    [
        "ASK {}",
        "ASK{}",
        "ask { }",
        "ASK WHERE {}",
        "SELECT * {}",
        "SELECT ?x WHERE { }",
        "PREFIX ex: <http://example.org/> ASK {}",
    ],
)
def test_an_empty_query_reads_no_data(query: str) -> None:
    assert reads_no_data(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o }",
        "SELECT (NOW() AS ?t) {}",  # an expression is not free: REPLACE of REPLACE grows without bound
        'SELECT (REPLACE(REPLACE("aaaa", "", "aaaa"), "", "aaaa") AS ?x) {}',
        "ASK { FILTER(1 = 1) }",
        'SELECT * { BIND("a" AS ?x0) BIND(CONCAT(?x0, ?x0) AS ?x1) }',
        "SELECT * {} ORDER BY ?x",
        "ASK { <http://example.org/s> ?p ?o }",
        "ASK { FILTER EXISTS { ?s ?p ?o } }",
        "ASK { FILTER(?x) ?s ?p ?o }",
        "ASK { GRAPH ?g {} }",
        "SELECT * { VALUES ?x { 1 2 } }",
        "SELECT * {} VALUES ?x { 1 2 }",
        "SELECT * { { SELECT * {} } }",
        "CONSTRUCT {} WHERE {}",
        "DESCRIBE <http://example.org/s>",
        "ASK FROM <http://example.org/g> {}",
        "ASK { FILTER(",  # not a query at all: the engine says what is wrong
        "ASK {}" + " " * 3000,  # longer than a constant query is taken to be
    ],
)
def test_a_query_that_reads_the_store_or_multiplies_rows_does_not(query: str) -> None:
    assert not reads_no_data(query)
