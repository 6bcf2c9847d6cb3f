"""Where a write gets the data directory's one writer.

Opening the writer takes its lock and opens the live store (RocksDB's one read-write open), which
costs a write about as much as its shapes do. A process that takes every write, the writer
service (:mod:`kgapp.writes.service`), keeps the writer open between writes instead: while writes
keep coming it holds the lock, and it lets go after ``idle_s`` without one, or for a moment every
``hold_s``, so that ``kgapp build`` or ``kgapp fold`` waiting for the lock gets it. Every other
process opens the writer for the write and closes it after.

A write that fails in any way closes a kept writer: the next one opens it again, and finds the
live store as the last version left it (:func:`kgapp.commits.live.open_live` restores it when a
write was cut short).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from kgapp.commits.writer import Writer
from kgapp.config import Settings

WRITER_WAIT_S = 5.0  # how long a write waits for the writer before it (then 503)
IDLE_S = 1.0  # a kept writer is let go after this long without a write
HOLD_S = 5.0  # and for a moment after holding it this long, for a build waiting for the lock
YIELD_S = 0.05  # that moment: ten times how often a waiting writer tries the lock


class WriterKeeper:
    """Hands a write the writer: opened for it, or (``keep=True``) kept open between writes."""

    def __init__(self, settings: Settings, keep: bool = False) -> None:
        self.settings = settings
        self.keep = keep
        self._lock = threading.Lock()  # one write at a time uses the kept writer
        self._writer: Writer | None = None
        self._opened_at = self._used_at = 0.0
        self._idle_watch: threading.Thread | None = None

    @contextmanager
    def writer(self) -> Iterator[Writer]:
        if not self.keep:
            with Writer(self.settings, wait_s=WRITER_WAIT_S) as opened:
                yield opened
            return
        with self._lock:
            kept = self._kept()
            try:
                yield kept
            except BaseException:
                self._close()
                raise
            finally:
                self._used_at = time.monotonic()

    @property
    def held(self) -> bool:
        """Whether the writer is open now (its lock held)."""
        return self._writer is not None

    def close(self) -> None:
        with self._lock:
            self._close()

    # The kept writer ---------------------------------------------------------------------------
    def _kept(self) -> Writer:
        if self._writer is not None and time.monotonic() - self._opened_at > HOLD_S:
            self._close()
            time.sleep(YIELD_S)  # a writer waiting for the lock takes it now
        if self._writer is None:
            writer = Writer(self.settings, wait_s=WRITER_WAIT_S)
            writer.__enter__()
            self._writer, self._opened_at = writer, time.monotonic()
            self._watch_idleness()
        return self._writer

    def _close(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.__exit__(None, None, None)

    def _watch_idleness(self) -> None:
        if self._idle_watch is not None and self._idle_watch.is_alive():
            return
        self._idle_watch = threading.Thread(
            target=self._let_go_when_idle, name="kgapp-writer-idle", daemon=True
        )
        self._idle_watch.start()

    def _let_go_when_idle(self) -> None:
        while True:
            time.sleep(IDLE_S / 4)
            with self._lock:
                if self._writer is None:
                    return
                if time.monotonic() - self._used_at >= IDLE_S:
                    self._close()
                    return
