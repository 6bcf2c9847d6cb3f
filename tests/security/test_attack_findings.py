"""One regression test per finding of the attack on the endpoint (docs/security.md maps each
protection to its test). Findings that need a live server start one; the rest use the app."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests
from flask.testing import FlaskClient

from kgapp.engine.isolation import PR_SET_SECCOMP, deny_filter, install_filter
from tests.conftest import PROJECT_ROOT, LiveServer, app_for, settings_for, start_server, stop_server

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/sparql-results+json"}


def sparql(client: FlaskClient, query: str, **params: str) -> object:
    return client.get("/sparql", query_string={"query": query, **params}, headers=JSON)


def without_isolation() -> None:
    """Run a process where neither a network namespace nor a seccomp filter can be set up, as in
    a container under a default seccomp profile with user namespaces off."""
    program = deny_filter({"unshare": None, "seccomp": None, "prctl": PR_SET_SECCOMP})
    assert install_filter(program), "this host cannot install the filter that makes isolation fail"


@pytest.mark.server
@pytest.mark.slow
def test_isolation_that_cannot_be_set_up_fails_closed(built_data_dir: Path, tmp_path: Path) -> None:
    server = start_server(built_data_dir, tmp_path / "server.log", preexec=without_isolation)
    try:
        refused = requests.get(server.url + "/sparql", params={"query": "ASK {}"}, headers=JSON, timeout=30)
        assert refused.status_code == 503
        assert "could not be isolated from the network" in refused.json()["message"]
        queries = requests.get(server.url + "/health", timeout=10).json()["queries"]
        assert queries["isolation"] == "none" and queries["queriesRefused"] is True
        assert queries["isolationProblems"]
    finally:
        stop_server(server)


@pytest.mark.server
@pytest.mark.slow
def test_networked_queries_run_only_when_a_setting_allows_them(built_data_dir: Path, tmp_path: Path) -> None:
    server = start_server(
        built_data_dir, tmp_path / "server.log", preexec=without_isolation, allow_networked_queries="true"
    )
    try:
        allowed = requests.get(server.url + "/sparql", params={"query": "ASK {}"}, headers=JSON, timeout=30)
        assert allowed.status_code == 200
        queries = requests.get(server.url + "/health", timeout=10).json()["queries"]
        assert queries["networkedQueriesAllowed"] is True and queries["queriesRefused"] is False
    finally:
        stop_server(server)


@pytest.mark.parametrize("scheme", ["javascript:alert(document.cookie)", "data:text/html,<script>x</script>"])
def test_a_script_iri_in_the_results_table_is_never_a_link(client: FlaskClient, scheme: str) -> None:
    query = f"SELECT ?x WHERE {{ VALUES ?x {{ <{scheme}> }} }}"
    html = client.get("/sparql", query_string={"query": query, "format": "html"}).get_data(as_text=True)
    assert scheme.split(":")[0] + ":" in html
    assert 'href="javascript:' not in html and 'href="data:' not in html


@pytest.mark.parametrize(
    "path",
    [
        "/id/a%20b",
        "/id/%ff",
        "/source/a%20b.json",
        "/ontology.%20",
        "/graph/a%20b",
        "/measure-type/a%20b.ttl",
    ],
)
def test_a_path_no_iri_can_be_is_a_404_not_a_500(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"] == "Not found"


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("SELECT (xsd:integer(1, 2) AS ?x) {}", 400, "cannot be evaluated"),
        ("SELECT (<http://example.org/no-such-function>(1) AS ?x) {}", 400, "cannot be evaluated"),
        ("PREFIX id: <https://w3id.org/hkus/id/> DESCRIBEid:mike-pompeo", 200, ""),
    ],
)
def test_user_errors_the_engine_reports_are_400(
    client: FlaskClient, query: str, status: int, says: str
) -> None:
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "*/*"})
    assert response.status_code == status, response.get_data(as_text=True)
    assert says in response.get_data(as_text=True)


def test_json_ld_of_an_answer_holding_triple_terms_is_not_acceptable(client: FlaskClient) -> None:
    query = "CONSTRUCT { <http://e/a> <http://e/p> <<( <http://e/a> <http://e/p> 1 )>> } WHERE {}"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/ld+json"})
    assert response.status_code == 406
    assert "JSON-LD cannot hold this answer" in response.get_json()["message"]


def test_a_value_larger_than_the_byte_cap_is_cut_not_a_500(
    request: pytest.FixtureRequest, built_data_dir: Path
) -> None:
    client = app_for(
        request, settings_for(PROJECT_ROOT, built_data_dir, max_answer_bytes=1_000_000)
    ).test_client()
    doublings = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(21))  # 2 MiB
    query = f'SELECT ?x21 {{ BIND("a" AS ?x0) {doublings} }}'
    for accept in ("text/csv", "application/sparql-results+xml", "application/sparql-results+json"):
        response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200
        assert response.headers["X-SPARQL-Truncated-By"] == "bytes"
        assert len(response.get_data()) <= 1_000_000


@pytest.mark.parametrize("path", ["/", "/id/mike-pompeo.html", "/sparql", "/timeline", "/no-such-page"])
def test_every_html_page_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers=HTML)
    assert response.mimetype == "text/html"
    policy = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "path", ["/", "/index.json", "/id/mike-pompeo.ttl", "/sparql?query=ASK%7B%7D", "/nope"]
)
def test_every_response_says_nosniff_a_referrer_policy_and_varies_on_accept(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert "Accept" in response.headers["Vary"]


def test_the_query_page_and_errors_vary_on_accept(client: FlaskClient) -> None:
    for response in (
        client.get("/sparql", headers=HTML),
        client.get("/sparql", query_string={"query": "SELECT {"}, headers=HTML),
        client.get("/sparql", query_string={"query": "SELECT {"}, headers=JSON),
    ):
        assert "Accept" in response.headers["Vary"]


def test_templates_hold_no_inline_script_or_style() -> None:
    """The CSP forbids inline script and style; the templates hold none to be blocked."""
    for template in (PROJECT_ROOT / "kgapp" / "templates").rglob("*.*"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"\sstyle=|<style|\son[a-z]+=", text), template.name


def test_with_a_public_url_absolute_urls_never_come_from_the_host_header(
    request: pytest.FixtureRequest, built_data_dir: Path
) -> None:
    public = "https://kg.example.org"
    client = app_for(request, settings_for(PROJECT_ROOT, built_data_dir, public_url=public)).test_client()
    forged = {"Host": "evil.example"}
    documents = [
        client.get("/sparql", headers=forged | {"Accept": "application/n-triples"}),
        client.get("/.well-known/void", headers=forged | {"Accept": "application/n-triples"}),
        client.get("/cite.json", headers=forged),
        client.get("/sparql", headers=forged | HTML),
    ]
    for response in documents:
        text = response.get_data(as_text=True)
        assert "evil.example" not in text
        assert public in text
    based = client.get("/sparql", query_string={"query": "SELECT (<x> AS ?iri) {}"}, headers=forged | JSON)
    assert json.loads(based.get_data())["results"]["bindings"][0]["iri"]["value"] == f"{public}/x"
    redirect = client.get("/id/mike-pompeo", headers=forged | HTML)
    assert "evil.example" not in redirect.headers["Location"]


@pytest.mark.server
def test_a_newline_in_a_path_cannot_forge_a_log_line(live_server: LiveServer) -> None:
    marker = "FORGED-LINE-7f3a"
    requests.get(live_server.url + f"/id/x%0a2026-01-01 kgapp.access INFO {marker}", timeout=10)
    requests.get(live_server.url + "/sparql", params={"query": "ASK {}", "token": "s3cret"}, timeout=10)
    lines = live_server.log().splitlines()
    assert not any(line.startswith(f"2026-01-01 kgapp.access INFO {marker}") for line in lines)
    assert any(marker in line and "\\x0a" in line for line in lines)
    assert "s3cret" not in live_server.log()


@pytest.mark.server
def test_a_query_is_one_log_line(live_server: LiveServer) -> None:
    requests.get(
        live_server.url + "/sparql", params={"query": "ASK { ?s ?p ?o } # one-line-check"}, timeout=10
    )
    lines = [line for line in live_server.log().splitlines() if "one-line-check" in line]
    assert len(lines) == 1 and "form=ASK" in lines[0]
