"""Regression: JSON twins mixed key conventions — ``/index.json`` had ``built_at``,
``/cite.json`` ``builtAt``, ``/timeline.json`` ``disputed_date``, entity JSON ``referencedBy``.
Every key our JSON twins and errors write is now camelCase (maps of data, such as the triples
per named graph, keep their data as keys)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

CAMEL_CASE = re.compile(r"^[a-z][a-z0-9]*([A-Z][a-z0-9]*)*$")
DATA_MAPS = {"graphs", "prefixes", "labels"}  # keys are IRIs or prefixes: data, not names
TWINS = [
    "/index.json",
    "/browse.json",
    "/browse.json?class=https://w3id.org/hkus/ontology/Agent",
    "/timeline.json",
    "/conflicts.json",
    "/sources.json",
    "/cite.json",
    "/search.json?q=pompeo",
    "/id/export-ban.json",
    "/id/ban-announced.json",
    "/ontology.json",
    "/health",
    "/id/no-such-thing.json",
    "/browse.json?class=not an iri",
]


def keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            if key not in DATA_MAPS:
                yield from keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from keys(inner)


@pytest.mark.parametrize("path", TWINS)
def test_every_json_key_is_camel_case(ld_client: FlaskClient, path: str) -> None:
    response = ld_client.get(path, headers={"Accept": "application/json"})
    assert response.mimetype == "application/json", path
    wrong = sorted({k for k in keys(response.get_json()) if not CAMEL_CASE.match(k)})
    assert wrong == [], f"{path}: {wrong}"


def test_the_keys_named_in_the_report_are_camel_case(ld_client: FlaskClient) -> None:
    assert "builtAt" in ld_client.get("/index.json").get_json()
    assert "builtAt" in ld_client.get("/cite.json").get_json()
    assert "disputedDate" in ld_client.get("/timeline.json").get_json()["events"][0]
    assert "referencedBy" in ld_client.get("/id/export-ban.json").get_json()
