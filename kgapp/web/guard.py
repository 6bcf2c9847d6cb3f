"""Request bodies are read whole before the app runs, by a bounded number of threads.

The HTTP server hands a request to a thread as soon as its headers are in, and a client that
sends its body slowly would hold that thread for as long as it likes. So a body is read here,
under two limits: at most ``per_client`` bodies at once from one address and ``total`` in all.
A request over either limit is turned away at once (503 with ``Retry-After``, through the app's
one error shape) without its body being read; every other request — pages, ``GET`` queries,
``/health`` — never waits behind a slow body.
"""

from __future__ import annotations

import io
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
REFUSAL_KEY = "kgapp.refused"
BODY_READ_KEY = "kgapp.body_read"  # the body is in memory: reading it again costs nothing


class BodyGuard:
    def __init__(self, app: WSGIApp, max_bytes: int, per_client: int, total: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.per_client = per_client
        self.total = total
        self._reading: Counter[str] = Counter()
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = _content_length(environ)
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if (not length and not chunked) or length > self.max_bytes:
            return self.app(environ, start_response)  # no body, or one the app refuses unread (413)
        client = environ.get("REMOTE_ADDR", "")
        if not self._enter(client):
            environ[REFUSAL_KEY] = "too many request bodies are being received at once; try again in a moment"
            return self.app(environ, start_response)
        try:
            body = environ["wsgi.input"].read(self.max_bytes + 1 if chunked else length)
        finally:
            self._leave(client)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ[BODY_READ_KEY] = True
        return self.app(environ, start_response)

    def _enter(self, client: str) -> bool:
        with self._lock:
            if sum(self._reading.values()) >= self.total or self._reading[client] >= self.per_client:
                return False
            self._reading[client] += 1
            return True

    def _leave(self, client: str) -> None:
        with self._lock:
            self._reading[client] -= 1
            if self._reading[client] <= 0:
                del self._reading[client]


def _content_length(environ: dict[str, Any]) -> int:
    try:
        return max(int(environ.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0
