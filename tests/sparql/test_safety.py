"""What the internet may send: runaway queries, federated calls, LOAD, FROM <file:…>."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.conftest import LiveServer, start_server, stop_server
from tests.sparql.conftest import SHORT_TIMEOUT_S, SMALL_ROW_CAP
from tests.waiting import wait_until

pytestmark = pytest.mark.server

RUNAWAY = """SELECT (COUNT(*) AS ?n) WHERE {
  ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l
}"""
SIMPLE = "ASK { ?s ?p ?o }"


def timed_get(server: LiveServer, query: str, **params: str) -> tuple[requests.Response, float]:
    started = time.perf_counter()
    response = requests.get(server.url + "/sparql", params={"query": query, **params}, timeout=60)
    return response, time.perf_counter() - started


@pytest.mark.slow
def test_runaway_query_is_stopped_while_others_are_answered(limited_server: LiveServer) -> None:
    timed_get(limited_server, SIMPLE)  # workers started
    with ThreadPoolExecutor(max_workers=2) as pool:
        runaway = pool.submit(timed_get, limited_server, RUNAWAY)
        wait_until(lambda: busy_queries(limited_server) >= 1)
        simple, simple_s = timed_get(limited_server, SIMPLE)
        assert not runaway.done(), "the simple query was answered while the runaway ran"
        stopped, stopped_s = runaway.result()
    print(f"runaway stopped after {stopped_s:.2f} s; simple query answered in {simple_s:.3f} s")
    assert simple.status_code == 200
    assert simple.json()["boolean"] is True
    assert stopped.status_code == 503
    assert "stopped after" in stopped.json()["message"]
    assert SHORT_TIMEOUT_S <= stopped_s < SHORT_TIMEOUT_S + 1.5
    for _ in range(3):  # the killed worker was replaced: the pool answers again and again
        again, again_s = timed_get(limited_server, SIMPLE)
        assert again.status_code == 200
        assert again_s < 2.0


@pytest.mark.slow
def test_a_client_may_ask_for_less_time_never_more(limited_server: LiveServer) -> None:
    shorter, shorter_s = timed_get(limited_server, RUNAWAY, timeout="0.5")
    assert shorter.status_code == 503
    assert 0.5 <= shorter_s < 1.5
    longer, longer_s = timed_get(limited_server, RUNAWAY, timeout="600")
    assert longer.status_code == 503
    assert longer_s < SHORT_TIMEOUT_S + 1.5


def test_row_cap_is_signalled(limited_server: LiveServer) -> None:
    response, _ = timed_get(limited_server, "SELECT * WHERE { ?s ?p ?o }")
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == SMALL_ROW_CAP
    assert response.headers["X-SPARQL-Truncated"] == "true"
    assert response.headers["X-SPARQL-Max-Rows"] == str(SMALL_ROW_CAP)
    small, _ = timed_get(limited_server, "SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    assert "X-SPARQL-Truncated" not in small.headers


class Listener:
    """A TCP port that records every connection made to it."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


def test_service_is_refused_and_contacts_nothing(each_store_server: LiveServer, listener: Listener) -> None:
    for query in (
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}",
    ):
        response, _ = timed_get(each_store_server, query)
        assert response.status_code == 400
        assert "SERVICE" in response.json()["message"]
    # a refused query is answered before anything would be sent: nothing is in flight to wait for
    assert listener.connections == 0


def test_from_reads_only_the_local_dataset(each_store_server: LiveServer, listener: Listener) -> None:
    for query in (
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        f"SELECT * FROM <http://127.0.0.1:{listener.port}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <http://127.0.0.1:{listener.port}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ):
        response, _ = timed_get(each_store_server, query)
        assert response.status_code == 200
        assert response.json()["results"]["bindings"] == []
    response, _ = timed_get(
        each_store_server,
        "SELECT ?o WHERE { ?s ?p ?o }",
        **{"default-graph-uri": "file:///etc/passwd"},
    )
    assert response.json()["results"]["bindings"] == []
    # a refused query is answered before anything would be sent: nothing is in flight to wait for
    assert listener.connections == 0


def test_from_names_a_local_graph(each_store_server: LiveServer) -> None:
    response, _ = timed_get(
        each_store_server,
        "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/hkus/graph/ontology> WHERE { ?s ?p ?o }",
    )
    direct, _ = timed_get(
        each_store_server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH kgg:ontology { ?s ?p ?o } }"
    )
    assert response.json()["results"] == direct.json()["results"]


def test_load_is_refused(each_store_server: LiveServer, listener: Listener) -> None:
    for body in (
        "LOAD <file:///etc/passwd>",
        f"LOAD <http://127.0.0.1:{listener.port}/data.ttl>",
    ):
        for send in (
            lambda b: requests.get(each_store_server.url + "/sparql", params={"query": b}, timeout=30),
            lambda b: requests.post(each_store_server.url + "/sparql", data={"update": b}, timeout=30),
            lambda b: requests.post(
                each_store_server.url + "/sparql",
                data=b,
                headers={"Content-Type": "application/sparql-update"},
                timeout=30,
            ),
        ):
            response = send(body)
            assert response.status_code == 400
            assert "read-only" in response.json()["message"]
    # a refused query is answered before anything would be sent: nothing is in flight to wait for
    assert listener.connections == 0


def busy_queries(server: LiveServer) -> int:
    """Query processes at work in the server's web process, as /health says."""
    return int(requests.get(server.url + "/health", timeout=10).json()["queries"]["busy"])


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.update(int(child) for child in text)
    return found


def descendants(pid: int) -> set[int]:
    found = children(pid)
    for child in list(found):
        found |= descendants(child)
    return found


def is_query_process(pid: int) -> bool:
    try:
        return "kgapp.engine.worker" in Path(f"/proc/{pid}/cmdline").read_text()
    except FileNotFoundError:
        return False


def running(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "State:\tZ" not in status.read_text()
    except FileNotFoundError:
        return False


@pytest.mark.slow
def test_workers_die_with_the_server(built_data_dir: Path, tmp_path: Path) -> None:
    server = start_server(built_data_dir, tmp_path / "server.log", query_timeout_s="30", web_workers="1")
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(timed_get, server, SIMPLE).result()
            pending = pool.submit(timed_get, server, RUNAWAY)
            wait_until(lambda: busy_queries(server) >= 1)
            workers = descendants(server.process.pid)
            assert len([w for w in workers if is_query_process(w)]) >= 2
            server.process.kill()  # no clean shutdown: no atexit, a query mid-flight
            server.process.wait()
            with pytest.raises(requests.ConnectionError):
                pending.result()
    finally:
        stop_server(server)
    wait_until(lambda: not any(running(w) for w in workers), timeout=5)
