"""How much of one kind of work runs at once: a fixed set of slots, a short queue, a bounded wait,
and a 503 with ``Retry-After`` past it — never a pile of waiting requests.

One gate is kept per kind of work: the query processes (each a slot, the quick lane a slot of
lower rank, taken only when no regular one is free), the queries at a remote store, the pages
being computed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

from kgapp.errors import Unavailable

T = TypeVar("T")


@dataclass(frozen=True)
class GateState:
    slots: int  # slots there are, free or taken
    busy: int  # slots taken
    waiting: int  # callers waiting for one


class Gate(Generic[T]):
    """Slots of work, handed out best rank first; at most ``queue_length`` callers wait, each at
    most the wait it is given."""

    def __init__(self, queue_length: int, busy: str, slots: dict[T, int] | None = None) -> None:
        self.queue_length = queue_length
        self.busy = busy  # what a caller turned away is told
        self._condition = threading.Condition()
        self._free: dict[int, list[T]] = {}  # rank → free slots
        self._taken: set[T] = set()
        self._waiting = 0
        for slot, rank in (slots or {}).items():
            self.add(slot, rank)

    @classmethod
    def counting(cls, slots: int, queue_length: int, busy: str) -> Gate[int]:
        """A gate of ``slots`` interchangeable slots."""
        if slots < 1:
            raise ValueError(f"a gate needs at least one slot, got {slots}")
        return Gate(queue_length, busy, dict.fromkeys(range(slots), 0))

    # Slots ----------------------------------------------------------------------------------
    def add(self, slot: T, rank: int = 0) -> None:
        """A slot becomes free (a new one, or one given back)."""
        with self._condition:
            self._taken.discard(slot)
            self._free.setdefault(rank, []).append(slot)
            self._condition.notify()

    def discard(self, slot: T) -> None:
        """A taken slot that will not come back (its process was stopped)."""
        with self._condition:
            self._taken.discard(slot)

    # Taking and giving back -----------------------------------------------------------------
    def acquire(self, wait_s: float) -> T:
        """A free slot, the best rank first, within ``wait_s``; Unavailable past it."""
        with self._condition:
            slot = self._take()
            if slot is not None:
                return slot
            if self._waiting >= self.queue_length:
                raise self.full()
            self._waiting += 1
            try:
                end = time.monotonic() + wait_s
                while (slot := self._take()) is None:
                    remaining = end - time.monotonic()
                    if remaining <= 0:
                        raise self.full()
                    self._condition.wait(remaining)
                return slot
            finally:
                self._waiting -= 1

    def _take(self) -> T | None:
        for rank in sorted(self._free):
            if self._free[rank]:
                slot = self._free[rank].pop()
                self._taken.add(slot)
                return slot
        return None

    def release(self, slot: T, rank: int = 0) -> None:
        self.add(slot, rank)

    @contextmanager
    def held(self, wait_s: float) -> Iterator[T]:
        slot = self.acquire(wait_s)
        try:
            yield slot
        finally:
            self.release(slot)

    # State ----------------------------------------------------------------------------------
    def full(self) -> Unavailable:
        return Unavailable(f"{self.busy}; try again in a moment", retry_after=1)

    def state(self) -> GateState:
        with self._condition:
            free = sum(len(slots) for slots in self._free.values())
            return GateState(free + len(self._taken), len(self._taken), self._waiting)
