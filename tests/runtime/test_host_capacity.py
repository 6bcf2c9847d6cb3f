"""Query capacity is the host's, not one web process's: a query is refused only when every slot
of the server is taken, whichever web process its connection landed on."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.conftest import LiveServer, start_server, stop_server
from tests.waiting import wait_until

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("capacity")]

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
JSON = {"Accept": "application/sparql-results+json"}
TIMEOUT_S = 2.0
REFUSED = ("busy", "lane kept for quick queries")  # turned away, not stopped at its own deadline
RESPAWN_S = 3.0  # a query process stopped at its deadline is replaced within this, on a busy machine


@pytest.fixture(scope="module")
def server(built_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Two web processes of one query process each: the host runs two queries at once."""
    live = start_server(
        built_data_dir,
        tmp_path_factory.mktemp("host") / "server.log",
        web_workers="2",
        query_workers="1",
        query_timeout_s=str(TIMEOUT_S),
        query_queue_wait_s="1.5",
    )
    yield live
    stop_server(live)


def host_busy(server: LiveServer) -> int:
    return int(requests.get(server.url + "/health", timeout=10).json()["queries"]["hostBusy"])


def run_away(server: LiveServer) -> str:
    """A query that runs into the time limit on a connection of its own: how it ended."""
    with requests.Session() as session:
        answer = session.post(server.url + "/sparql", data={"query": RUNAWAY}, headers=JSON, timeout=30)
    assert answer.status_code == 503
    message = str(answer.json()["message"])
    return "refused" if any(word in message for word in REFUSED) else "ran to its deadline"


def test_two_queries_run_on_a_host_of_two_slots_whichever_web_process_takes_them(server: LiveServer) -> None:
    """Regression: capacity was per web process, so two queries that landed on one web process
    had one of them refused while the other web process's query process stood idle."""
    for _ in range(4):  # each round, the two connections land on either web process
        wait_until(lambda: host_busy(server) == 0)  # the last round's queries have let go,
        time.sleep(RESPAWN_S)  # and the processes stopped at their deadline are replaced
        with ThreadPoolExecutor(2) as pool:
            endings = list(pool.map(lambda _: run_away(server), range(2)))
        assert endings == ["ran to its deadline"] * 2, endings


def test_a_third_query_is_refused_while_the_host_is_full(server: LiveServer) -> None:
    wait_until(lambda: host_busy(server) == 0)
    with ThreadPoolExecutor(3) as pool:
        first_two = [pool.submit(run_away, server) for _ in range(2)]
        wait_until(lambda: host_busy(server) == 2)  # both are running
        health = requests.get(server.url + "/health", timeout=10).json()["queries"]
        third = run_away(server)
        endings = [f.result() for f in first_two]
    assert health["hostSlots"] == 2 and health["hostBusy"] == 2
    assert third == "refused" and endings == ["ran to its deadline"] * 2
