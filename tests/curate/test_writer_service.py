"""Under `kgapp serve`, one writer service takes every write, and neither its death nor a build
of the files while writes come loses or blocks anything for good."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from kgapp.build import build
from kgapp.config import Settings
from tests.conftest import LiveServer
from tests.curate.test_writes_live import ask, post_update

pytestmark = pytest.mark.server
COMMENT = (
    "INSERT DATA {{ GRAPH <https://w3id.org/hkus/graph/entities> {{ id:hong-kong rdfs:comment '{}'@en }} }}"
)


def writes_health(server: LiveServer) -> dict[str, object]:
    found: dict[str, object] = requests.get(server.url + "/health", timeout=30).json()["writes"]
    return found


def test_every_write_is_taken_by_one_writer_service_beside_the_web_processes(
    writable: tuple[Settings, LiveServer],
) -> None:
    _settings, server = writable
    before = writes_health(server)
    assert before["taken"] is True and before["by"] == "writer service"
    assert before["process"] not in (None, server.process.pid)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda n: post_update(server, COMMENT.format(f"Note {n}")), range(16)))
    assert [a.status_code for a in answers] == [200] * 16
    after = writes_health(server)
    assert after["process"] == before["process"]
    assert int(str(after["answered"])) - int(str(before["answered"])) == 16
    assert all(ask(server, f"id:hong-kong rdfs:comment 'Note {n}'@en") for n in range(16))


def test_a_writer_service_that_dies_is_started_again_and_the_next_write_is_taken(
    writable: tuple[Settings, LiveServer],
) -> None:
    _settings, server = writable
    first = writes_health(server)["process"]
    assert isinstance(first, int)
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 20
    answer = post_update(server, COMMENT.format("After a restart"))
    while answer.status_code == 503 and time.monotonic() < deadline:
        assert answer.headers.get("Retry-After")
        time.sleep(0.5)
        answer = post_update(server, COMMENT.format("After a restart"))
    assert answer.status_code == 200, answer.text
    assert writes_health(server)["process"] not in (None, first)
    assert ask(server, "id:hong-kong rdfs:comment 'After a restart'@en")


def test_a_build_of_the_files_gets_the_writer_while_writes_keep_coming(
    writable: tuple[Settings, LiveServer],
) -> None:
    settings, server = writable
    stop, statuses = threading.Event(), []

    def keep_writing() -> None:
        number = 0
        while not stop.is_set():
            statuses.append(post_update(server, COMMENT.format(f"Busy {number}")).status_code)
            number += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        time.sleep(1.0)
        built = build(settings, force=True)  # waits for the service to let the writer go
    finally:
        stop.set()
        writer.join()
    assert not built.skipped
    assert set(statuses) <= {200, 503} and statuses.count(200) > 0
    assert post_update(server, COMMENT.format("After the build")).status_code == 200
