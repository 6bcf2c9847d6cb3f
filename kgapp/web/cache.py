"""A cache of whole responses, in front of the app, for answers that depend only on the build.

Every page, document and query answer is a function of the build being served and of the
request line and the headers it varies on (``Accept``, ``Origin``, and ``Host`` for absolute
URLs). A repeated request is answered from memory without running any of the app: the cache is
invisible to correctness, and emptied whenever another build is switched in. Only ``200``
answers to ``GET``/``HEAD`` (and to query ``POST``s, keyed by their body) are kept, never one
marked ``Cache-Control: no-store`` (errors, ``/health``); a kept answer revalidates with its
``ETag`` (``304``). Memory is bounded in bytes.

What is kept is decided by how often it is asked (TinyLFU admission): an answer is kept from
its second request on, and only in place of answers asked less often than it lately. A client
walking through many distinct answers once each — a crawler, a flood of distinct queries —
therefore never flushes the answers everyone else asks for.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from werkzeug.http import parse_date

from kgapp.web.guard import BODY_READ_KEY

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
KEY_HEADERS = ("HTTP_HOST", "HTTP_ACCEPT", "HTTP_ORIGIN")
POSTED_QUERY_TYPES = ("application/sparql-query", "application/x-www-form-urlencoded")
STATUS_LINE = {200: "200 OK", 304: "304 Not Modified"}
ENTITY_HEADERS = {"content-type", "content-length"}


def _posted_query(environ: dict[str, Any]) -> bool:
    return environ.get("CONTENT_TYPE", "").split(";")[0].strip() in POSTED_QUERY_TYPES


@dataclass(frozen=True)
class Entry:
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None
    last_modified: datetime | None


def _size(entry: Entry) -> int:
    return len(entry.body) + sum(len(k) + len(v) for k, v in entry.headers)


def _not_modified(entry: Entry, environ: dict[str, Any]) -> bool:
    """RFC 9110 §13.1: If-None-Match decides when present, else If-Modified-Since."""
    if "HTTP_IF_NONE_MATCH" in environ:
        return bool(entry.etag) and entry.etag in environ["HTTP_IF_NONE_MATCH"]
    since = parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    return since is not None and entry.last_modified is not None and entry.last_modified <= since


class Frequency:
    """How often each key was asked lately: counts that halve every ``window`` requests, so a
    page popular an hour ago does not hold its place for ever. Keys are kept as hashes."""

    def __init__(self, window: int) -> None:
        self.window = window
        self.counts: dict[int, int] = {}
        self._seen = 0

    def touch(self, key: tuple[str, ...]) -> None:
        digest = hash(key)
        self.counts[digest] = self.counts.get(digest, 0) + 1
        self._seen += 1
        if self._seen >= self.window:
            self._seen = 0
            self.counts = {k: c // 2 for k, c in self.counts.items() if c > 1}

    def of(self, key: tuple[str, ...]) -> int:
        return self.counts.get(hash(key), 0)


FREQUENCY_WINDOW = 20_000  # requests between two halvings of the counts


class ResponseCache:
    """WSGI middleware keeping ``max_bytes`` of answers, each at most ``max_entry_bytes``."""

    def __init__(
        self, app: WSGIApp, build_key: Callable[[], str], max_bytes: int, max_entry_bytes: int
    ) -> None:
        self.app = app
        self.build_key = build_key  # the served build; "" when it cannot be told (nothing cached)
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self._entries: OrderedDict[tuple[str, ...], Entry] = OrderedDict()
        self._size = 0
        self._build = ""
        self._lock = threading.Lock()
        self._frequency = Frequency(FREQUENCY_WINDOW)
        self.hits = self.misses = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        key = self._key(environ)
        if key is None or self.max_bytes <= 0:
            return self.app(environ, start_response)
        entry = self._get(key)
        if entry is not None:
            environ["kgapp.cache"] = "hit"
            return self._replay(entry, environ, start_response)
        environ["kgapp.cache"] = "miss"
        return self._fill(key, environ, start_response)

    # Keys -----------------------------------------------------------------------------------
    def _key(self, environ: dict[str, Any]) -> tuple[str, ...] | None:
        method = environ.get("REQUEST_METHOD", "")
        if method in {"GET", "HEAD"}:
            body = ""
        elif method == "POST" and environ.get(BODY_READ_KEY) and _posted_query(environ):
            body = self._body_digest(environ)
        else:
            return None
        build = self.build_key()
        if not build:
            return None
        content_type = environ.get("CONTENT_TYPE", "") if body else ""
        line = ("POST" if body else "GET", environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
        return (build, *line, content_type, body, *(environ.get(name, "") for name in KEY_HEADERS))

    @staticmethod
    def _body_digest(environ: dict[str, Any]) -> str:
        """Read the (already bounded) body once, keep it for the app, and key on its digest."""
        body = environ["wsgi.input"].read()
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return hashlib.sha256(body).hexdigest()

    # Entries --------------------------------------------------------------------------------
    def _get(self, key: tuple[str, ...]) -> Entry | None:
        with self._lock:
            if key[0] != self._build:
                self._entries.clear()
                self._size, self._build = 0, key[0]
            self._frequency.touch(key)
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def _put(self, key: tuple[str, ...], entry: Entry) -> None:
        with self._lock:
            if key[0] != self._build or key in self._entries:
                return
            asked = self._frequency.of(key)
            if asked < 2 or not self._make_room(_size(entry), asked):
                return
            self._entries[key] = entry
            self._size += _size(entry)

    def _make_room(self, size: int, asked: int) -> bool:
        """Room for ``size`` bytes, made by dropping least recently used answers asked no more
        often than the newcomer; False (nothing dropped) when that is not enough."""
        victims, freed = [], 0
        for old_key, old in self._entries.items():
            if self._size - freed + size <= self.max_bytes:
                break
            if self._frequency.of(old_key) > asked:
                return False
            victims.append(old_key)
            freed += _size(old)
        if self._size - freed + size > self.max_bytes:
            return False
        for old_key in victims:
            del self._entries[old_key]
        self._size -= freed
        return True

    def _replay(
        self, entry: Entry, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if _not_modified(entry, environ):
            headers = [(k, v) for k, v in entry.headers if k.lower() not in ENTITY_HEADERS]
            start_response(STATUS_LINE[304], headers)
            return [b""]
        start_response(STATUS_LINE[200], entry.headers)
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else entry.body]

    def _fill(
        self, key: tuple[str, ...], environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close:
                close()
        if self._keeps(captured, body, environ) and self.build_key() == key[0]:
            headers = captured["headers"]
            named = {k.lower(): v for k, v in headers}
            entry = Entry(list(headers), body, named.get("etag"), parse_date(named.get("last-modified")))
            self._put(key, entry)
        return [body]

    def _keeps(self, captured: dict[str, Any], body: bytes, environ: dict[str, Any]) -> bool:
        if not captured.get("status", "").startswith("200") or environ.get("REQUEST_METHOD") == "HEAD":
            return False
        if len(body) > self.max_entry_bytes:
            return False
        cache_control = next((v for k, v in captured["headers"] if k.lower() == "cache-control"), "")
        return "no-store" not in cache_control and "private" not in cache_control
