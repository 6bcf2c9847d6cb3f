"""How much of one kind of work runs at once: a fixed set of slots, a short queue, a bounded wait,
and a 503 with ``Retry-After`` past it — never a pile of waiting requests.

One gate is kept per kind of work: the query processes (each a slot, the quick lane a slot of
lower rank, taken only when no regular one is free), the queries at a remote store, the pages
being computed. The query processes of all web processes of a server also share
:class:`HostSlots`, so that a query is refused only when the host has no capacity left.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Container, Iterator
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
    def acquire(self, wait_s: float, ranks: Container[int] | None = None) -> T:
        """A free slot, the best rank first (of ``ranks`` only, when given), within ``wait_s``;
        Unavailable past it."""
        with self._condition:
            slot = self._take(ranks)
            if slot is not None:
                return slot
            if self._waiting >= self.queue_length:
                raise self.full()
            self._waiting += 1
            try:
                end = time.monotonic() + wait_s
                while (slot := self._take(ranks)) is None:
                    remaining = end - time.monotonic()
                    if remaining <= 0:
                        raise self.full()
                    self._condition.wait(remaining)
                return slot
            finally:
                self._waiting -= 1

    def try_acquire(self, ranks: Container[int] | None = None) -> T | None:
        """A free slot now (of ``ranks`` only, when given), or None."""
        with self._condition:
            return self._take(ranks)

    def _take(self, ranks: Container[int] | None = None) -> T | None:
        for rank in sorted(self._free):
            if (ranks is None or rank in ranks) and self._free[rank]:
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


HOST_SLOTS_ENV = "KGAPP_QUERY_SLOTS_DIR"  # set by kgapp serve for its web processes
SLOT_POLL_S = 0.005


class HostSlots:
    """``count`` slots shared by every process of a server, one lock file each in ``directory``:
    a slot is taken by locking its file (``flock``), and given back by unlocking it, or by the
    kernel when the process that held it dies."""

    def __init__(self, directory: str, count: int) -> None:
        self.directory = directory
        self.count = count
        os.makedirs(directory, exist_ok=True)

    def take(self, wait_s: float) -> int | None:
        """A slot's open, locked file (give it to :meth:`give_back`) within ``wait_s``; None."""
        end = time.monotonic() + wait_s
        while True:
            for number in range(self.count):
                handle = self._open(number)
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return handle
                except BlockingIOError:
                    os.close(handle)
            if time.monotonic() >= end:
                return None
            time.sleep(SLOT_POLL_S)

    @staticmethod
    def give_back(handle: int) -> None:
        os.close(handle)  # closing the file lets go of its lock

    def busy(self) -> int:
        """How many slots are taken now, by any process."""
        taken = 0
        for number in range(self.count):
            handle = self._open(number)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                taken += 1
            finally:
                os.close(handle)
        return taken

    def _open(self, number: int) -> int:
        return os.open(os.path.join(self.directory, f"slot-{number}"), os.O_RDWR | os.O_CREAT, 0o600)
