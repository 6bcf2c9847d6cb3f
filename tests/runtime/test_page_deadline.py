"""Every page query has a deadline: a page whose queries cannot finish in time answers 503 with
`Retry-After` at once, and never runs on."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kgapp import deadline
from kgapp.config import Settings
from kgapp.store import EmbeddedStore
from tests.conftest import PROJECT_ROOT, settings_for, start_server, stop_server


def slow_rows(count: int, pause_s: float) -> Iterator[int]:
    for number in range(count):
        time.sleep(pause_s)
        yield number


def test_rows_stop_at_the_deadline_not_at_the_end() -> None:
    started = time.monotonic()
    with deadline.within(0.05), pytest.raises(deadline.PageTimeout) as stopped:
        list(deadline.checked(slow_rows(100, 0.01)))
    assert time.monotonic() - started < 0.5  # not the whole second the rows would take
    assert stopped.value.status == 503 and stopped.value.details["retry_after"] == 1


def test_a_query_past_the_deadline_is_not_started(built_data_dir: Path) -> None:
    settings: Settings = settings_for(PROJECT_ROOT, built_data_dir)
    store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
    with deadline.within(1e-9):
        time.sleep(0.001)
        with pytest.raises(deadline.PageTimeout):
            store.select("SELECT * { ?s ?p ?o }")
    assert len(store.select("SELECT * { ?s ?p ?o } LIMIT 3")) == 3  # no deadline outside a page


def test_what_a_build_keeps_is_computed_whole_whatever_the_deadline(built_data_dir: Path) -> None:
    settings: Settings = settings_for(PROJECT_ROOT, built_data_dir)
    store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)

    def count(kept: object) -> int:
        time.sleep(0.01)
        return len(store.select("SELECT * { ?s ?p ?o }"))

    with deadline.within(0.005):
        assert store.memo(count) > 1000


@pytest.mark.server
def test_a_page_whose_queries_overrun_answers_503_at_once(built_data_dir: Path, tmp_path: Path) -> None:
    server = start_server(built_data_dir, tmp_path / "server.log", page_timeout_s="0.001")
    try:
        started = time.perf_counter()
        page = requests.get(
            server.url + "/id/mike-pompeo", headers={"Accept": "application/json"}, timeout=30
        )
        assert time.perf_counter() - started < 1.0
        assert page.status_code == 503 and page.headers["Retry-After"] == "1"
        assert "could not be made within 0.001 s" in page.json()["message"]
        assert requests.get(server.url + "/health", timeout=30).status_code == 200
    finally:
        stop_server(server)
