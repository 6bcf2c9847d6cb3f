"""Regression: CORS headers came from the SPARQL blueprint only, so a browser-based linked-data
client on another origin could not read ``/id/x.jsonld``, ``/ontology.ttl``, ``/search.json`` or
any page twin, though the ``cors_origins`` setting is documented to cover every read request."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.conftest import LD_FIXTURE, app_for, settings_for

READS = [
    "/id/export-ban.jsonld",
    "/id/export-ban",
    "/ontology.ttl",
    "/search.json?q=pompeo",
    "/timeline.json",
    "/index.json",
    "/",
    "/.well-known/void",
    "/dumps/hkus.nq.gz",
    "/sparql?query=ASK%7B%7D",
    "/id/no-such-thing.json",
]


@pytest.mark.parametrize("path", READS)
def test_every_read_answers_cross_origin(ld_client: FlaskClient, path: str) -> None:
    response = ld_client.get(path, headers={"Origin": "https://client.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*", path
    assert "Link" in response.headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("path", ["/id/export-ban.jsonld", "/sparql"])
def test_preflight_is_answered_everywhere(ld_client: FlaskClient, path: str) -> None:
    response = ld_client.options(path, headers={"Origin": "https://client.example"})
    assert response.status_code == 200
    assert "GET" in response.headers["Access-Control-Allow-Methods"]


def test_a_listed_origin_is_echoed_and_varies(request: pytest.FixtureRequest, ld_data_dir: Path) -> None:
    app = app_for(
        request, settings_for(LD_FIXTURE, ld_data_dir, cors_origins="https://a.example, https://b.example")
    )
    client = app.test_client()
    allowed = client.get("/id/export-ban.jsonld", headers={"Origin": "https://b.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://b.example"
    assert "Origin" in allowed.headers["Vary"]
    other = client.get("/id/export-ban.jsonld", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
