"""How long a page's work may take: a deadline set for each page request (``page_timeout_s``)
and checked by every query the page runs, before it starts and between the rows it reads.

pyoxigraph cannot cancel a query, but it yields rows lazily, so a page whose queries cannot
finish in time stops at its next row and answers 503 with ``Retry-After`` at once, rather than
holding a thread and a core for as long as its queries would take. A single step that produces
no row for long (a count over a huge join) is not cut short; pages do not run such queries (each
is bounded by the neighbourhood of one thing, :mod:`kgapp.ld`). What a build computes once and
keeps (a search index, :meth:`kgapp.store.KnowledgeStore.memo`) runs without the deadline of
the request that happened to ask first: its result serves every later request.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from kgapp.errors import Unavailable

T = TypeVar("T")
_deadline: ContextVar[tuple[float, float] | None] = ContextVar("kgapp_page_deadline", default=None)


class PageTimeout(Unavailable):
    """A page's queries did not finish within its deadline."""


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Run the block with a deadline ``seconds`` from now (none when ``seconds`` <= 0)."""
    token = _deadline.set((time.monotonic() + seconds, seconds) if seconds > 0 else None)
    try:
        yield
    finally:
        _deadline.reset(token)


@contextmanager
def lifted() -> Iterator[None]:
    """Run the block without the deadline (work kept for every later request)."""
    token = _deadline.set(None)
    try:
        yield
    finally:
        _deadline.reset(token)


def check() -> None:
    """PageTimeout when the running request's deadline has passed."""
    found = _deadline.get()
    if found is not None and time.monotonic() > found[0]:
        raise PageTimeout(
            f"this page could not be made within {found[1]:g} s; try again in a moment",
            retry_after=1,
            timeout_seconds=found[1],
        )


def checked(rows: Iterable[T]) -> Iterator[T]:
    """``rows``, checking the deadline before each."""
    for row in rows:
        check()
        yield row
