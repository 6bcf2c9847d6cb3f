"""The worker pool itself: a timed-out query's process is killed and replaced."""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgapp.engine.job import Answer, Failure, Job
from kgapp.engine.pool import QueryExecutor
from kgapp.errors import QueryTimeout
from kgapp.namespaces import CANONICAL_BASE
from kgapp.store import current_build_dir

# Twenty-way cross product: 3^20 solutions even over the three W3C test triples.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(20)) + " }"


def job(data_dir: Path, query: str, answer_format: str = "srj") -> Job:
    build_dir = current_build_dir(data_dir)
    assert build_dir is not None
    return Job(
        build_dir=str(build_dir),
        base_iri=CANONICAL_BASE,
        query=query,
        endpoint="http://localhost/sparql",
        answer_format=answer_format,
        max_rows=100,
    )


def alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


@pytest.fixture()
def executor() -> Iterator[QueryExecutor]:
    pool = QueryExecutor(1)
    yield pool
    pool.shutdown()


def test_answers_a_query(executor: QueryExecutor, w3c_data_dir: Path) -> None:
    answer = executor.execute(job(w3c_data_dir, "ASK { ?s ?p ?o }"), 10)
    assert isinstance(answer, Answer)
    assert answer.body == b'{"head": {}, "boolean": true}'


def test_syntax_errors_come_back_as_data(executor: QueryExecutor, w3c_data_dir: Path) -> None:
    answer = executor.execute(job(w3c_data_dir, "ASK {"), 10)
    assert isinstance(answer, Failure) and answer.kind == "syntax"
    assert answer.message.startswith("error at 1:6")


@pytest.mark.slow
def test_timeout_kills_the_worker_and_a_new_one_answers(executor: QueryExecutor, w3c_data_dir: Path) -> None:
    executor.execute(job(w3c_data_dir, "ASK {}"), 10)
    [first] = executor.worker_pids()
    started = time.perf_counter()
    with pytest.raises(QueryTimeout):
        executor.execute(job(w3c_data_dir, RUNAWAY), 1.0)
    elapsed = time.perf_counter() - started
    assert 1.0 <= elapsed < 1.5
    assert not alive(first)
    answer = executor.execute(job(w3c_data_dir, "ASK { ?s ?p ?o }"), 10)
    assert isinstance(answer, Answer)
    [second] = executor.worker_pids()
    assert second != first


def test_shutdown_stops_every_worker(w3c_data_dir: Path) -> None:
    pool = QueryExecutor(2)
    pool.execute(job(w3c_data_dir, "ASK {}"), 10)
    pids = pool.worker_pids()
    assert len(pids) == 2
    pool.shutdown()
    assert not any(alive(pid) for pid in pids)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="network namespaces are Linux's")
def test_a_worker_cannot_reach_the_network(executor: QueryExecutor, w3c_data_dir: Path) -> None:
    """Even a SERVICE that got past the refusal finds no network in the worker."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    try:
        answer = executor.execute(
            job(w3c_data_dir, f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"),
            10,
        )
        assert isinstance(answer, Failure)
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()
