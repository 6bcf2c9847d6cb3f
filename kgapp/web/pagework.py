"""How many pages are computed at once in a web process: a bound, so that a crawler asking for
many distinct uncached pages (or a flood of unknown IRIs) cannot take every thread and core.

It sits inside the response cache, so a repeated page never waits for it; the SPARQL endpoint
has its own capacity (the query processes), and ``/health`` and static files are never held.
A page that finds no slot within the wait is answered 503 with ``Retry-After`` at once; one
whose queries do not finish within ``page_timeout_s`` likewise (:mod:`kgapp.deadline`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from kgapp import deadline
from kgapp.capacity import Gate
from kgapp.errors import Unavailable
from kgapp.web.guard import REFUSAL_KEY
from kgapp.web.versioned import unversioned

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
UNGATED = ("/sparql", "/health", "/static/", "/favicon.ico")


class PageWork:
    def __init__(
        self, app: WSGIApp, slots: int, queue_length: int, wait_s: float, timeout_s: float = 0.0
    ) -> None:
        self.app = app
        self.gate = Gate.counting(slots, queue_length, f"{slots} pages are being computed already")
        self.wait_s = wait_s
        self.timeout_s = timeout_s  # each page's queries stop at this deadline (kgapp.deadline)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if unversioned(environ.get("PATH_INFO", "")).startswith(UNGATED):
            return self.app(environ, start_response)
        try:
            slot = self.gate.acquire(self.wait_s)
        except Unavailable as busy:
            environ[REFUSAL_KEY] = busy.message
            return self.app(environ, start_response)
        try:
            with deadline.within(self.timeout_s):
                return list(self.app(environ, start_response))
        finally:
            self.gate.release(slot)
