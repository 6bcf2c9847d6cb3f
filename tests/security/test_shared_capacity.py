"""Work one client cannot make everyone else wait for: a bound on pages computed at once, a
response cache that a walk through distinct answers does not flush, and CSV twins that no
spreadsheet reads as formulas."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import Client

from kgapp.web.cache import ResponseCache
from kgapp.web.pages import CsvTable, spreadsheet_safe
from kgapp.web.pagework import PageWork
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


def test_pages_beyond_the_bound_are_503_and_health_answers(app: Flask) -> None:
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
