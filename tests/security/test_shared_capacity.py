"""Work one client cannot make everyone else wait for: a bound on pages computed at once, a
response cache that a walk through distinct answers does not flush, and CSV twins that no
spreadsheet reads as formulas."""

from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from flask.testing import FlaskClient
from werkzeug.test import Client

from kgapp.web.cache import ResponseCache
from kgapp.web.pages import CsvTable, spreadsheet_safe
from kgapp.web.pagework import PageWork
from tests.conftest import PROJECT_ROOT, app_for, settings_for, start_server, stop_server
from tests.waiting import wait_until


class HeldAt:
    """A WSGI wrapper that holds requests for ``path`` until released."""

    def __init__(self, app: Callable[..., Iterable[bytes]], path: str) -> None:
        self.app = app
        self.path = path
        self.release = threading.Event()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == self.path:
            self.release.wait(30)
        return self.app(environ, start_response)


def test_pages_beyond_the_bound_are_503_and_health_answers(
    request: pytest.FixtureRequest, built_data_dir: Path
) -> None:
    app = app_for(request, settings_for(PROJECT_ROOT, built_data_dir))
    held = HeldAt(app.wsgi_app, "/browse")
    pages = PageWork(held, slots=1, queue_length=0, wait_s=0.05)
    app.wsgi_app = pages  # type: ignore[method-assign]
    client = Client(app)
    holder = threading.Thread(target=lambda: client.get("/browse"))
    holder.start()
    try:
        wait_until(lambda: pages.gate.state().busy == 1, timeout=10)
        refused = client.get("/timeline", headers={"Accept": "application/json"})
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "1"
        assert client.get("/health").status_code == 200
        assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    finally:
        held.release.set()
        holder.join()
    assert client.get("/timeline").status_code == 200


def answering(counter: dict[str, int]) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        counter[environ["PATH_INFO"]] = counter.get(environ["PATH_INFO"], 0) + 1
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [environ["PATH_INFO"].encode() * 500]

    return app


def get(cache: ResponseCache, path: str) -> str:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "wsgi.input": io.BytesIO()}
    b"".join(cache(environ, lambda status, headers, exc_info=None: None))
    return str(environ["kgapp.cache"])


def test_an_answer_is_kept_from_its_second_request() -> None:
    computed: dict[str, int] = {}
    cache = ResponseCache(answering(computed), lambda: "build", max_bytes=1 << 20, max_entry_bytes=1 << 20)
    assert [get(cache, "/a") for _ in range(3)] == ["miss", "miss", "hit"]
    assert computed["/a"] == 2


def test_a_walk_through_distinct_answers_leaves_popular_ones_cached() -> None:
    computed: dict[str, int] = {}
    cache = ResponseCache(answering(computed), lambda: "build", max_bytes=50_000, max_entry_bytes=50_000)
    for _ in range(5):
        for popular in ("/", "/browse", "/timeline"):
            get(cache, popular)
    for step in range(2_000):  # a crawler, each distinct answer twice
        get(cache, f"/id/thing-{step}")
        get(cache, f"/id/thing-{step}")
    assert [get(cache, p) for p in ("/", "/browse", "/timeline")] == ["hit", "hit", "hit"]


def test_csv_twins_neutralize_formulas(client: FlaskClient) -> None:
    table = CsvTable(
        ["label", "value"], [['=HYPERLINK("http://x")', "-2.5"], ["+cmd", "@SUM(A1)"], ["-x", "5"]]
    )
    rows = list(csv.reader(io.StringIO(table.text())))
    assert rows[1:] == [['\'=HYPERLINK("http://x")', "-2.5"], ["'+cmd", "'@SUM(A1)"], ["'-x", "5"]]
    assert spreadsheet_safe("\tcell") == "'\tcell"
    for path in ("/timeline.csv", "/responses.csv", "/browse.csv?class=https://w3id.org/hkus/ontology/Law"):
        for row in csv.reader(io.StringIO(client.get(path).get_data(as_text=True))):
            assert not any(cell[:1] in ("=", "+", "@") for cell in row), (path, row)


@pytest.mark.server
def test_a_live_server_turns_pages_away_beyond_its_bound_and_keeps_answering_health(
    built_data_dir: Path, tmp_path: Path
) -> None:
    """Found on the embedded store at 1e5 triples: distinct uncached pages had no bound on how
    many were computed at once."""
    server = start_server(
        built_data_dir,
        tmp_path / "server.log",
        web_workers="1",
        page_workers="1",
        page_queue_length="0",
        page_queue_wait_s="0",
    )
    try:
        refused = []
        for burst in range(20):
            pages = [f"/timeline?from=20{burst:02d}-01-{day:02d}" for day in range(1, 13)]
            with ThreadPoolExecutor(len(pages)) as pool:
                answers = list(pool.map(lambda p: requests.get(server.url + p, timeout=30), pages))
                health = requests.get(server.url + "/health", timeout=10)
            assert health.status_code == 200
            assert all(a.status_code in {200, 503} for a in answers)
            refused = [a for a in answers if a.status_code == 503]
            if refused:
                break
        assert refused, "no page was ever turned away"
        assert refused[0].headers["Retry-After"] == "1"
    finally:
        stop_server(server)


@pytest.mark.server
def test_a_crawl_of_distinct_pages_leaves_the_popular_ones_cached_on_a_live_server(
    built_data_dir: Path, tmp_path: Path
) -> None:
    server = start_server(built_data_dir, tmp_path / "server.log", web_workers="1", response_cache_mb="1")
    try:
        for _ in range(5):
            requests.get(server.url + "/", timeout=30)
        entities = re.findall(r'href="(/id/[^"#?]+)"', requests.get(server.url + "/browse", timeout=30).text)
        for path in sorted(set(entities))[:300]:
            for _ in range(2):
                requests.get(server.url + path, headers={"Accept": "application/ld+json"}, timeout=30)
        requests.get(server.url + "/", timeout=30)
        last = [line for line in server.log().splitlines() if '"GET /"' in line][-1]
        assert "cache=hit" in last, last
    finally:
        stop_server(server)
