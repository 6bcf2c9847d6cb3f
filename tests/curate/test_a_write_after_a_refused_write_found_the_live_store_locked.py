"""Regression: after a write was refused (422), the next write in the same process was a 400
"lock hold by current process": the refusal's traceback kept the frames that held the writer's
live store, so RocksDB's lock stayed until the garbage collector ran."""

from __future__ import annotations

import gc

import pytest

from tests.curate.conftest import AS_ALICE, ENTITIES, PREFIXES

SOURCE_GRAPH = "https://w3id.org/hkus/graph/source/us-ends-defense-exports-over-nsl"
EVENT = "id:event-us-defence-export-ban-announcement"


def _update(client: object, text: str, accept: str = "application/json") -> object:
    return client.post(  # type: ignore[attr-defined]
        "/update",
        data=PREFIXES + text,
        content_type="application/sparql-update",
        headers=AS_ALICE | {"Accept": accept},
    )


def test_a_write_after_a_refused_write_is_committed(request: pytest.FixtureRequest) -> None:
    client = request.getfixturevalue("writer_client")
    gc.disable()  # what made it fail: the collector had not run between the two writes
    try:
        broken = f"INSERT DATA {{ GRAPH <{SOURCE_GRAPH}> {{ {EVENT} hkus:date 'x' }} }}"
        for accept in ("application/problem+json", "text/html"):
            assert _update(client, broken, accept).status_code == 422  # type: ignore[attr-defined]
        form = {
            "kind": "update",
            "text": broken,
            "token": AS_ALICE["Authorization"].split()[1],
            "action": "try",
        }
        assert client.post("/curate", data=form).status_code == 422  # the page keeps the refusal
        fine = f"INSERT DATA {{ GRAPH <{ENTITIES}> {{ id:hong-kong rdfs:comment 'After a refusal'@en }} }}"
        response = _update(client, fine)
        assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    finally:
        gc.enable()
