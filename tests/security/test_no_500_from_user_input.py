"""No user input produces a 500: generated paths, query strings, Accept headers, methods, bodies
and form fields against every route, on the real graph. Every error comes back in the format
the client negotiated (JSON for API clients, the error page for browsers)."""

from __future__ import annotations

from urllib.parse import quote, quote_from_bytes

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgapp.conneg import prefers_html
from tests.conftest import PROJECT_ROOT, app_for, settings_for

ROUTES = [
    "/",
    "/index.json",
    "/browse",
    "/browse.json",
    "/timeline",
    "/timeline.json",
    "/conflicts",
    "/sources.json",
    "/cite.json",
    "/health",
    "/search",
    "/search.json",
    "/sparql",
    "/.well-known/void",
    "/dumps/",
    "/id/",
    "/source/",
    "/ontology",
    "/ontology.",
    "/ontology/",
    "/measure-type/",
    "/shapes/",
    "/graph/",
    "/sparql/editor/",
]
PARAMETERS = [
    "q",
    "suggest",
    "class",
    "actor",
    "type",
    "query",
    "format",
    "output",
    "results",
    "timeout",
    "inference",
    "default-graph-uri",
    "named-graph-uri",
    "update",
    "date",
]
ACCEPTS = [
    "text/html",
    "application/json",
    "application/sparql-results+json",
    "text/turtle",
    "*/*",
    "text/html;q=0",
    "application/xhtml+xml,text/html;q=0.9,*/*;q=0.8",
    "nonsense",
    "",
]
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
text = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)


@pytest.fixture(scope="module")
def hostile_client(request: pytest.FixtureRequest, built_data_dir: object) -> FlaskClient:
    app: Flask = app_for(request, settings_for(PROJECT_ROOT, built_data_dir, query_timeout_s=5))  # type: ignore[arg-type]
    return app.test_client()


def assert_handled(response, accept: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code != 500, response.get_data(as_text=True)[:500]
    if response.status_code >= 400 and response.status_code != 405:
        expected = "text/html" if prefers_html(accept) else "application/json"
        assert response.mimetype == expected, (response.status_code, accept, response.mimetype)


@SETTINGS
@given(
    route=st.sampled_from(ROUTES),
    tail=st.one_of(text.map(lambda t: quote(t, safe="/.")), st.binary(max_size=30).map(quote_from_bytes)),
    params=st.dictionaries(st.sampled_from(PARAMETERS), text, max_size=4),
    accept=st.sampled_from(ACCEPTS),
)
def test_any_get(
    hostile_client: FlaskClient, route: str, tail: str, params: dict[str, str], accept: str
) -> None:
    path = route + (tail if route.endswith(("/", ".")) else "")
    response = hostile_client.get(path, query_string=params, headers={"Accept": accept})
    assert_handled(response, accept)


@SETTINGS
@given(
    route=st.sampled_from(ROUTES),
    method=st.sampled_from(["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
    content_type=st.sampled_from(
        [
            "application/sparql-query",
            "application/x-www-form-urlencoded",
            "application/sparql-update",
            "application/sparql-query; charset=latin-1",
            "text/plain",
            "",
            "multipart/form-data",
        ]
    ),
    body=st.binary(max_size=200),
    accept=st.sampled_from(ACCEPTS),
)
def test_any_method_and_body(
    hostile_client: FlaskClient, route: str, method: str, content_type: str, body: bytes, accept: str
) -> None:
    headers = {"Accept": accept} | ({"Content-Type": content_type} if content_type else {})
    response = hostile_client.open(route, method=method, data=body, headers=headers)
    assert_handled(response, accept)


QUERY_PIECES = st.sampled_from(
    [
        "SELECT",
        "ASK",
        "CONSTRUCT",
        "DESCRIBE",
        "WHERE",
        "{",
        "}",
        "(",
        ")",
        "?s",
        "?p",
        "?o",
        ".",
        "<http://e/x>",
        "id:x",
        "hkus:Measure",
        "xsd:integer(1, 2)",
        "<http://e/fn>(1)",
        "FILTER",
        "BIND",
        "AS",
        "GRAPH",
        "FROM",
        "NAMED",
        "LIMIT 1",
        "ORDER BY",
        '"x"',
        "'''",
        "#",
        "\\u0041",
        "<<( ?s ?p ?o )>>",
        "VALUES ?x { 1 }",
        "COUNT(*)",
        "GROUP BY",
        "*",
        ";",
        ",",
        "a",
        "STR(",
        'REGEX(?o, "(")',
        "1/0",
        'xsd:dateTime("x")',
        "DESCRIBEid:x",
        "\x00",
        "é",
    ]
)


@SETTINGS
@given(
    pieces=st.lists(QUERY_PIECES, min_size=1, max_size=12),
    accept=st.sampled_from(ACCEPTS),
    format_name=st.sampled_from([None, "json", "xml", "csv", "tsv", "ttl", "jsonld", "html", "bogus"]),
)
def test_any_query(
    hostile_client: FlaskClient, pieces: list[str], accept: str, format_name: str | None
) -> None:
    params = {"query": " ".join(pieces)} | ({"format": format_name} if format_name else {})
    response = hostile_client.get("/sparql", query_string=params, headers={"Accept": accept})
    assert response.status_code != 500, (params, response.get_data(as_text=True)[:500])
