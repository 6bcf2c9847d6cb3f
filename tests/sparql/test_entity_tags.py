"""An answer's entity tag comes from the version and the request, not from hashing the answer, so
a client revalidating an answer it holds gets 304 without the query running again; an answer
that is not the same each time (the time, fresh blank nodes) is tagged by its bytes."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kgapp.web.state import EXTENSION_KEY

JSON = {"Accept": "application/sparql-results+json"}
LABELS = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s LIMIT 5"


def ask(client: FlaskClient, query: str, **headers: str) -> Any:
    return client.get("/sparql", query_string={"query": query}, headers={**JSON, **headers})


def test_the_same_request_on_the_same_version_has_the_same_tag(client: FlaskClient) -> None:
    first, second = ask(client, LABELS), ask(client, LABELS)
    assert first.headers["ETag"] == second.headers["ETag"]
    assert ask(client, LABELS + " OFFSET 1").headers["ETag"] != first.headers["ETag"]
    csv = client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": "text/csv"})
    assert csv.headers["ETag"] != first.headers["ETag"]


def test_a_revalidation_is_answered_304_without_running_the_query(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    tag = ask(client, LABELS).headers["ETag"]

    def refuse(*_args: object) -> None:
        raise AssertionError("the query ran again")

    monkeypatch.setattr(app.extensions[EXTENSION_KEY].engine, "execute", refuse)
    again = ask(client, LABELS, **{"If-None-Match": tag})
    assert again.status_code == 304 and again.headers["ETag"] == tag


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (STRUUID() AS ?id) {}",
        "CONSTRUCT { [] <http://example.org/saw> ?s } WHERE { ?s ?p ?o } LIMIT 2",
    ],
)
def test_an_answer_that_differs_each_time_is_tagged_by_its_bytes(client: FlaskClient, query: str) -> None:
    accept = {"Accept": "application/n-triples"} if query.startswith("CONSTRUCT") else {}
    first = ask(client, query, **accept)
    second = ask(client, query, **{"If-None-Match": first.headers["ETag"], **accept})
    assert first.data != second.data  # fresh identifiers each time
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]


def test_live_state_carries_no_tag(client: FlaskClient) -> None:
    assert "ETag" not in client.get("/health").headers
