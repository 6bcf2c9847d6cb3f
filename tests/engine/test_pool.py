"""The pool of query processes: a query past its deadline has its process killed and replaced, a
full pool turns queries away at once, and a query over its memory limit is stopped cleanly."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgapp.engine.answer import Limits
from kgapp.engine.job import Answer, Failure, Job
from kgapp.engine.pool import PoolSettings, QueryPool
from kgapp.errors import QueryTimeout, Unavailable
from kgapp.layout import current_build_dir
from kgapp.namespaces import CANONICAL_BASE
from tests.waiting import wait_until

# Twenty-way cross product: 3^20 solutions even over the three W3C test triples.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(20)) + " }"
# A string doubled 28 times: 256 MiB, far over a 300 MB heap once copies are made.
DOUBLINGS = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(28))
MEMORY_HOG = f'SELECT (STRLEN(?x28) AS ?n) {{ BIND("ab" AS ?x0) {DOUBLINGS} }}'
JSON = "application/sparql-results+json"
SLACK_S = 2.0  # what a loaded machine may add to a bound the pool keeps; never what decides a test


def job(data_dir: Path, query: str, accept: str = JSON) -> Job:
    build_dir = current_build_dir(data_dir)
    assert build_dir is not None
    return Job(
        str(build_dir), CANONICAL_BASE, query, "http://localhost/sparql", Limits(100, 10**6), accept=accept
    )


def alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def pool_of(size: int, **changes: object) -> QueryPool:
    values = {"size": size, "queue_wait_s": 0.2, "queue_length": 4, "memory_mb": 300, "allow_network": False}
    return QueryPool(PoolSettings(**(values | changes)))  # type: ignore[arg-type]


@pytest.fixture()
def pool() -> Iterator[QueryPool]:
    one = pool_of(1)
    yield one
    one.shutdown()


def test_answers_a_query_in_the_negotiated_format(pool: QueryPool, w3c_data_dir: Path) -> None:
    answer = pool.execute(job(w3c_data_dir, "ASK { ?s ?p ?o }"), 10)
    assert isinstance(answer, Answer)
    assert answer.body == b'{"head":{},"boolean":true}'
    assert answer.content_type == "application/sparql-results+json; charset=utf-8"
    assert answer.form == "ASK"


def test_syntax_errors_come_back_as_data(pool: QueryPool, w3c_data_dir: Path) -> None:
    answer = pool.execute(job(w3c_data_dir, "ASK {"), 10)
    assert isinstance(answer, Failure) and answer.kind == "syntax"
    assert answer.message.startswith("error at 1:6")


def test_a_format_the_kind_of_answer_cannot_take_is_not_acceptable(
    pool: QueryPool, w3c_data_dir: Path
) -> None:
    answer = pool.execute(job(w3c_data_dir, "CONSTRUCT WHERE { ?s ?p ?o }", accept="text/csv"), 10)
    assert isinstance(answer, Failure) and answer.kind == "not-acceptable"
    assert "text/turtle" in answer.available


@pytest.mark.slow
def test_timeout_kills_the_process_and_a_new_one_answers(pool: QueryPool, w3c_data_dir: Path) -> None:
    pool.execute(job(w3c_data_dir, "ASK {}"), 10)
    before = set(pool.process_ids())  # the one that answers, and a spare
    started = time.perf_counter()
    with pytest.raises(QueryTimeout):
        pool.execute(job(w3c_data_dir, RUNAWAY), 1.0)
    elapsed = time.perf_counter() - started
    assert elapsed >= 1.0, "stopped at its deadline, not before"
    assert elapsed < 1.0 + SLACK_S, "and not long after"
    [killed] = [pid for pid in before if not alive(pid)]
    assert isinstance(pool.execute(job(w3c_data_dir, "ASK { ?s ?p ?o }"), 10), Answer)
    assert set(before) - {killed} <= set(pool.process_ids()), "the spare took the killed one's place"
    assert killed not in pool.process_ids()
    assert pool.state().restarts == 1


@pytest.mark.slow
def test_while_long_queries_fill_the_pool_quick_ones_are_answered_and_more_turned_away(
    pool: QueryPool, w3c_data_dir: Path
) -> None:
    pool.execute(job(w3c_data_dir, "ASK {}"), 10)
    outcomes: list[BaseException] = []

    def run_away() -> None:
        try:
            pool.execute(job(w3c_data_dir, RUNAWAY), 3.0)
        except (QueryTimeout, Unavailable) as exc:
            outcomes.append(exc)

    long_one = threading.Thread(target=run_away)
    long_one.start()
    wait_until(lambda: pool.state().busy == 1)  # the long query holds the one regular process
    assert isinstance(pool.execute(job(w3c_data_dir, "ASK {}"), 10), Answer)
    assert long_one.is_alive(), "a quick query went through the quick lane while the long one ran"
    second = threading.Thread(target=run_away)
    second.start()
    wait_until(lambda: pool.state().busy == 2)  # a second long query takes the quick lane
    started = time.perf_counter()
    with pytest.raises(Unavailable) as refused:
        pool.execute(job(w3c_data_dir, "ASK {}"), 10)
    assert time.perf_counter() - started < pool.settings.queue_wait_s + SLACK_S, (
        "turned away after the short wait"
    )
    assert refused.value.details["retry_after"] == 1
    second.join()
    long_one.join()
    assert isinstance(outcomes[0], Unavailable) and "quick queries" in outcomes[0].message
    assert isinstance(outcomes[1], QueryTimeout)


@pytest.mark.slow
def test_a_query_over_its_memory_limit_is_stopped_cleanly(pool: QueryPool, w3c_data_dir: Path) -> None:
    with pytest.raises(Unavailable, match="more memory than its limit"):
        pool.execute(job(w3c_data_dir, MEMORY_HOG), 30)
    assert isinstance(pool.execute(job(w3c_data_dir, "ASK {}"), 10), Answer)


def test_the_processes_report_their_isolation(pool: QueryPool, w3c_data_dir: Path) -> None:
    pool.execute(job(w3c_data_dir, "ASK {}"), 10)
    state = pool.state()
    assert "seccomp" in state.isolation
    assert not state.queries_refused


def test_shutdown_stops_every_process(w3c_data_dir: Path) -> None:
    two = pool_of(2)
    two.execute(job(w3c_data_dir, "ASK {}"), 10)
    pids = two.process_ids()
    assert len(pids) == 4  # two, the quick lane and a spare
    two.shutdown()
    assert not any(alive(pid) for pid in pids)
