"""How much of one kind of work runs at once: a fixed number of slots, a short queue, a bounded
wait, and a 503 with ``Retry-After`` past it — never a pile of waiting requests.

One gate is kept per kind of work: the queries at a remote store, the pages being computed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kgapp.errors import KGError


class Unavailable(KGError):
    """No capacity now: the caller should try again in a moment."""

    title = "Service unavailable"
    status = 503


@dataclass(frozen=True)
class GateState:
    slots: int
    busy: int
    waiting: int


class Gate:
    """At most ``slots`` holders at once; at most ``queue_length`` more wait, each at most the
    wait it is given."""

    def __init__(self, slots: int, queue_length: int, what: str) -> None:
        if slots < 1:
            raise ValueError(f"{what}: at least one slot is needed, got {slots}")
        self.slots = slots
        self.queue_length = queue_length
        self.what = what
        self._condition = threading.Condition()
        self._busy = self._waiting = 0

    @contextmanager
    def held(self, wait_s: float) -> Iterator[None]:
        self.enter(wait_s)
        try:
            yield
        finally:
            self.leave()

    def enter(self, wait_s: float) -> None:
        with self._condition:
            if self._busy < self.slots:
                self._busy += 1
                return
            if self._waiting >= self.queue_length:
                raise self.full()
            self._waiting += 1
            try:
                end = time.monotonic() + wait_s
                while self._busy >= self.slots:
                    remaining = end - time.monotonic()
                    if remaining <= 0:
                        raise self.full()
                    self._condition.wait(remaining)
                self._busy += 1
            finally:
                self._waiting -= 1

    def leave(self) -> None:
        with self._condition:
            self._busy -= 1
            self._condition.notify()

    def full(self) -> Unavailable:
        return Unavailable(
            f"{self.slots} {self.what} are already running; try again in a moment", retry_after=1
        )

    def state(self) -> GateState:
        with self._condition:
            return GateState(self.slots, self._busy, self._waiting)
