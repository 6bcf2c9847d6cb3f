"""With every query process of every web process busy with a long query, the cheap requests still
answer at once: `/health`, an entity page and `ASK {}` (which reads no data, and is answered in
the web process), each 200 in under 200 ms."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.conftest import LiveServer, start_server, stop_server
from tests.waiting import wait_until

# one worker runs the tests that fill capacity on purpose: their timings would disturb each other
pytestmark = [pytest.mark.server, pytest.mark.xdist_group("capacity")]

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
JSON = {"Accept": "application/sparql-results+json"}
CHEAP = {
    "ASK {}": ("/sparql", {"query": "ASK {}"}),
    "SELECT * {}": ("/sparql", {"query": "SELECT * {}"}),
    "/health": ("/health", {}),
    "an entity page": ("/id/mike-pompeo.html", {}),
}


@pytest.fixture(scope="module")
def server(built_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_server(
        built_data_dir,
        tmp_path_factory.mktemp("cheap") / "server.log",
        web_workers="2",
        query_workers="2",
        query_timeout_s="6",
        query_queue_wait_s="1",
    )
    yield live
    stop_server(live)


def every_process_busy(server: LiveServer) -> bool:
    """Every query slot of the host taken (each web process's quick lane is taken too, by the
    queries the full host turns to it)."""
    queries = requests.get(server.url + "/health", timeout=10).json()["queries"]
    return bool(queries["hostSlots"]) and queries["hostBusy"] >= queries["hostSlots"]


def timed(server: LiveServer, path: str, params: dict[str, str]) -> tuple[float, int]:
    started = time.perf_counter()
    response = requests.get(server.url + path, params=params, headers=JSON, timeout=10)
    return time.perf_counter() - started, response.status_code


def test_cheap_requests_answer_within_200_ms_while_every_query_process_is_busy(server: LiveServer) -> None:
    """Regression: while 8 slow queries held the pool, ASK {} waited for a process and got 503.
    Long queries are sent again as they end (the quick lane stops one after half a second), so
    every query process stays taken while the cheap requests are timed."""
    stop = threading.Event()

    def keep_a_long_query_running() -> None:
        while not stop.is_set():
            requests.post(server.url + "/sparql", data={"query": RUNAWAY}, headers=JSON, timeout=30)

    for request in [*CHEAP.values()] * 4:  # warm both web processes: what is timed is the answer,
        timed(server, *request)  # not a first build of a web process's caches
    with ThreadPoolExecutor(12) as pool:
        flood = [pool.submit(keep_a_long_query_running) for _ in range(12)]
        try:
            wait_until(lambda: every_process_busy(server))  # both lanes of both web processes
            found = {name: [timed(server, *request) for _ in range(5)] for name, request in CHEAP.items()}
        finally:
            stop.set()
        for running in flood:
            running.result()
    for name, tries in found.items():
        assert {status for _, status in tries} == {200}, (name, tries)
        assert statistics.median(elapsed for elapsed, _ in tries) < 0.2, (name, tries)
