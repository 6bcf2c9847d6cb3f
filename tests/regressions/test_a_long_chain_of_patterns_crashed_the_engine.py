"""A query chaining a few thousand patterns, BINDs or ``||`` operands overflowed the stack of
the engine that planned it: ``oxigraph serve`` aborted (every reader lost the store), and our
own query process died, answered as a 500. Now such a query is measured before any engine sees
it and refused with a 400; what is accepted runs on a stack deep enough for it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from flask.testing import FlaskClient

from kgapp.dataset import GraphSelection
from kgapp.errors import QueryRefused
from kgapp.querytext import MAX_PLAN_DEPTH, refuse
from kgapp.remote.protocol import MAX_PLAN_DEPTH as STORE_PLAN_DEPTH
from kgapp.remote.protocol import prepare
from kgapp.sparqlsyntax import parse_query
from kgapp.sparqlsyntax.depth import depth
from tests.conftest import LiveServer

SPARQL = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}


def binds(count: int) -> str:
    return (
        "SELECT * WHERE { BIND(1 AS ?x0) "
        + " ".join(f"BIND(?x{i} AS ?x{i + 1})" for i in range(count))
        + " }"
    )


def alternatives(count: int) -> str:
    return "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * count) + ") } LIMIT 1"


def triples(count: int) -> str:
    return "SELECT * WHERE { " + " ".join(f"?s{i} <http://e/p> ?o{i} ." for i in range(count)) + " } LIMIT 1"


@pytest.mark.parametrize(
    ("text", "levels"),
    [(binds(10), 13), (alternatives(10), 15), (triples(10), 11), ("SELECT * WHERE { ?s ?p ?o }", 2)],
)
def test_a_plan_is_as_deep_as_its_longest_chain(text: str, levels: int) -> None:
    assert depth(parse_query(text)) == levels


@pytest.mark.parametrize("make", [binds, alternatives, triples])
def test_a_store_is_sent_no_query_deeper_than_it_plans(make: Callable[[int], str]) -> None:
    prepare(make(STORE_PLAN_DEPTH - 20), {}, GraphSelection(), "urn:empty")
    with pytest.raises(QueryRefused, match="too large for one plan"):
        prepare(make(STORE_PLAN_DEPTH + 1), {}, GraphSelection(), "urn:empty")


def test_the_endpoint_refuses_a_long_query_deeper_than_its_limit() -> None:
    refuse(binds(MAX_PLAN_DEPTH - 50))
    with pytest.raises(QueryRefused, match="too large for one plan"):
        refuse(binds(MAX_PLAN_DEPTH + 1))


@pytest.mark.parametrize("query", [alternatives(30_000), binds(10_000), triples(5_000), binds(1_500)])
def test_no_chain_of_patterns_is_a_500_on_the_embedded_store(client: FlaskClient, query: str) -> None:
    response = client.post("/sparql", data=query.encode(), headers=SPARQL, query_string={"timeout": "2"})
    assert response.status_code in {200, 400, 503}, response.get_data(as_text=True)[:300]


@pytest.mark.server
@pytest.mark.store
def test_a_long_chain_never_reaches_oxigraph_serve(server_on: Callable[[str], LiveServer]) -> None:
    server = server_on("oxigraph")
    for query in (binds(600), alternatives(10_000), triples(3_000)):
        response = requests.post(server.url + "/sparql", data=query.encode(), headers=SPARQL, timeout=60)
        assert response.status_code == 400, response.text[:300]
    assert requests.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=30).status_code == 200
