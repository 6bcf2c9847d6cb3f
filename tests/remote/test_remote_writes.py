"""Writes on a remote store (``oxigraph serve``, Virtuoso): the same gate, then the version sent
to the store as one update; a refused write leaves the store as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import LiveServer, start_server, stop_server
from tests.curate.conftest import ALICE, ENTITIES, PREFIXES, TOKENS, copy_project
from tests.remote.test_remote_store import REMOTES, store_select
from tests.stores import StoreServer, oxigraph_server, publish, virtuoso_server
from tests.waiting import wait_until

SOURCE_GRAPH = "https://w3id.org/hkus/graph/source/us-ends-defense-exports-over-nsl"
AUTH = {"Authorization": f"Bearer {ALICE}", "Content-Type": "application/sparql-update"}


@pytest.fixture(params=REMOTES)
def writable_on_store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[StoreServer, LiveServer]]:
    make = oxigraph_server if request.param == "oxigraph" else virtuoso_server
    store = make(tmp_path / request.param)
    store.start()
    project = copy_project(tmp_path / "project")
    written = publish(store, project, project / "var")
    assert written.returncode == 0, written.stderr
    writer = store.settings
    settings = store.reader_settings | {
        "remote_update_url": writer["remote_update_url"],
        "remote_store_url": writer["remote_store_url"],
        "write_tokens": TOKENS,
        "remote_poll_s": "0.2",
    }
    if writer.get("remote_user"):
        settings |= {
            "remote_write_user": writer["remote_user"],
            "remote_write_password": writer["remote_password"],
        }
    server = start_server(project / "var", tmp_path / "server.log", project_root=project, **settings)
    yield store, server
    stop_server(server)
    store.stop()


def comments_at_the_store(store: StoreServer, graph: str) -> set[str]:
    comment = "<http://www.w3.org/2000/01/rdf-schema#comment>"
    query = f"SELECT ?c WHERE {{ GRAPH <{graph}> {{ <https://w3id.org/hkus/id/hong-kong> {comment} ?c }} }}"
    return {row["c"] for row in store_select(store, query)}


def test_a_write_reaches_the_remote_store_through_the_gate(
    writable_on_store: tuple[StoreServer, LiveServer],
) -> None:
    store, server = writable_on_store
    text = (
        PREFIXES
        + f"INSERT DATA {{ GRAPH <{ENTITIES}> {{ id:hong-kong rdfs:comment 'Written to the store'@en }} }}"
    )
    response = requests.post(server.url + "/update", data=text.encode(), headers=AUTH, timeout=120)
    assert response.status_code == 200, response.text
    assert "Written to the store" in comments_at_the_store(store, ENTITIES)
    ask = PREFIXES + "ASK { id:hong-kong rdfs:comment 'Written to the store'@en }"

    def visible() -> bool:
        answer = requests.get(
            server.url + "/sparql",
            params={"query": ask},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        return bool(answer.json()["boolean"])

    wait_until(visible, timeout=10)


def test_a_refused_write_leaves_the_remote_store_as_it_was(
    writable_on_store: tuple[StoreServer, LiveServer],
) -> None:
    store, server = writable_on_store
    before = (
        comments_at_the_store(store, SOURCE_GRAPH),
        store_select(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
    )
    event = "id:event-us-defence-export-ban-announcement"
    text = PREFIXES + f"INSERT DATA {{ GRAPH <{SOURCE_GRAPH}> {{ {event} hkus:date 'soon' }} }}"
    response = requests.post(server.url + "/update", data=text.encode(), headers=AUTH, timeout=120)
    assert response.status_code == 422
    after = (
        comments_at_the_store(store, SOURCE_GRAPH),
        store_select(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
    )
    assert before == after
