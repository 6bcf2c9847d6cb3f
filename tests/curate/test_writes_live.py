"""Writes against a live server: durable once answered, serialized when they race, and the files
always rebuild the live store."""

from __future__ import annotations

import random
import signal
import threading
import time
from pathlib import Path

import pytest
import requests

from kgapp.build import build
from kgapp.config import Settings
from tests.conftest import LiveServer, settings_for, start_server, stop_server
from tests.curate.conftest import ALICE, ENTITIES, PREFIXES, TOKENS, copy_project
from tests.curate.test_writes import asserted_quads, served_quads

pytestmark = pytest.mark.server

AUTH = {"Authorization": f"Bearer {ALICE}", "Content-Type": "application/sparql-update"}
SOURCE_GRAPH = "https://w3id.org/hkus/graph/source/us-ends-defense-exports-over-nsl"
DOCUMENT = "src:us-ends-defense-exports-over-nsl"


def post_update(server: LiveServer, text: str) -> requests.Response:
    return requests.post(
        server.url + "/update", data=(PREFIXES + text).encode("utf-8"), headers=AUTH, timeout=60
    )


def ask(server: LiveServer, pattern: str) -> bool:
    response = requests.get(
        server.url + "/sparql",
        params={"query": PREFIXES + f"ASK {{ {pattern} }}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    return bool(response.json()["boolean"])


def test_an_answered_write_survives_kill_9_right_after_its_answer(
    writable: tuple[Settings, LiveServer], tmp_path: Path
) -> None:
    settings, server = writable
    text = f"INSERT DATA {{ GRAPH <{ENTITIES}> {{ id:hong-kong rdfs:comment 'Survives a kill'@en }} }}"
    response = post_update(server, text)
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    assert response.status_code == 200, response.text
    again = start_server(
        settings.data_path, tmp_path / "again.log", project_root=settings.project_root, write_tokens=TOKENS
    )
    try:
        assert ask(again, "id:hong-kong rdfs:comment 'Survives a kill'@en")
    finally:
        stop_server(again)
    patches = list((settings.project_root / "graph" / "patches").glob("*.rdfp"))
    assert len(patches) == 1 and "Survives a kill" in patches[0].read_text(encoding="utf-8")


def test_writers_racing_never_make_a_version_that_breaks_a_shape(
    writable: tuple[Settings, LiveServer],
) -> None:
    """Each write replaces the document's one title (hkus:title has at most one value): were two
    writes interleaved, a version would hold two titles and break the shape."""
    _, server = writable
    answers: list[int] = []

    def retitle(writer: int) -> None:
        for round_ in range(4):
            title = f"'Title {writer}.{round_}'@en"
            text = (
                f"DELETE {{ GRAPH <{SOURCE_GRAPH}> {{ {DOCUMENT} hkus:title ?old }} }} "
                f"INSERT {{ GRAPH <{SOURCE_GRAPH}> {{ {DOCUMENT} hkus:title {title} }} }} "
                f"WHERE {{ GRAPH <{SOURCE_GRAPH}> {{ {DOCUMENT} hkus:title ?old }} }}"
            )
            answers.append(post_update(server, text).status_code)

    threads = [threading.Thread(target=retitle, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(answers) <= {200, 503} and answers.count(200) >= 8, answers
    changes = requests.get(server.url + "/changes.json", timeout=30).json()
    for version in changes["versions"]:
        if not version["href"]:
            continue
        count = requests.get(
            server.url + f"/v/{version['number']}/sparql",
            params={"query": PREFIXES + f"SELECT (COUNT(?t) AS ?n) WHERE {{ {DOCUMENT} hkus:title ?t }}"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        ).json()
        assert count["results"]["bindings"][0]["n"]["value"] == "1", version["number"]


def test_a_cold_build_after_20_random_writes_equals_the_live_store(
    writable: tuple[Settings, LiveServer], tmp_path: Path
) -> None:
    settings, server = writable
    chooser = random.Random(20)
    written: list[str] = []
    for number in range(20):
        if written and chooser.random() < 0.3:
            gone = written.pop(chooser.randrange(len(written)))
            text = f"DELETE DATA {{ GRAPH <{ENTITIES}> {{ id:hong-kong rdfs:comment '{gone}'@en }} }}"
        else:
            written.append(f"Random comment {number}")
            text = f"INSERT DATA {{ GRAPH <{ENTITIES}> {{ id:hong-kong rdfs:comment '{written[-1]}'@en }} }}"
        assert post_update(server, text).status_code == 200
    cold = copy_project(tmp_path / "cold")
    patches = settings.project_root / "graph" / "patches"
    (cold / "graph" / "patches").mkdir(exist_ok=True)
    for patch in patches.glob("*.rdfp"):
        (cold / "graph" / "patches" / patch.name).write_bytes(patch.read_bytes())
    cold_settings = settings_for(cold, tmp_path / "cold-var")
    build(cold_settings)
    assert served_quads(cold_settings) == served_quads(settings)
    assert {q for q in asserted_quads(settings) if "Random comment" in q} == {
        q for q in asserted_quads(cold_settings) if "Random comment" in q
    }


def test_a_write_does_not_wait_for_a_long_read(writable: tuple[Settings, LiveServer]) -> None:
    _, server = writable
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    finished = threading.Event()

    def read() -> None:
        requests.get(
            server.url + "/sparql", params={"query": slow}, headers={"Accept": "application/json"}, timeout=60
        )
        finished.set()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        time.sleep(0.5)  # the query is running
        text = f"INSERT DATA {{ GRAPH <{ENTITIES}> {{ id:hong-kong rdfs:comment 'Beside a long read'@en }} }}"
        assert post_update(server, text).status_code == 200
        assert not finished.is_set(), "the read ended first: it was not long enough to show anything"
        assert ask(server, "id:hong-kong rdfs:comment 'Beside a long read'@en")
    finally:
        reader.join()
