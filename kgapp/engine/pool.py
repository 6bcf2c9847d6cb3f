"""Queries run in worker processes so that a timeout really stops the work.

pyoxigraph cannot cancel a query running in the calling process, so each query is sent to one of
a small pool of worker processes, each holding a read-only open of the current build's store.
When a query outlives its time, its worker is killed
and a fresh one started in the background; the other workers keep answering. Workers start on
the first query and stop at exit.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection

from kgapp.engine.job import Answer, Failure, Job
from kgapp.errors import QueryFailed, QueryTimeout

log = logging.getLogger("kgapp.sparql")
WORKER_MODULE = "kgapp.engine.worker"


class _Worker:
    """A ``python -m kgapp.sparql.worker`` process; jobs go down its stdin, answers up its stdout."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.jobs = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.error("query worker %s did not exit after kill", self.pid)
        self.jobs.close()
        self.answers.close()


class QueryExecutor:
    """A pool of ``size`` worker processes answering one query each at a time."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"query_workers must be at least 1, got {size}")
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False

    def _spawn(self) -> _Worker:
        fresh = _Worker()
        with self._lock:
            if self._closed:
                fresh.stop()
                raise QueryFailed("the query service is shutting down")
            self._all.add(fresh)
        return fresh

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
            atexit.register(self.shutdown)
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _retire(self, used: _Worker) -> None:
        """Kill a worker and start its replacement without making the caller wait."""
        with self._lock:
            self._all.discard(used)
        used.stop()

        def replace() -> None:
            with contextlib.suppress(QueryFailed):
                self._idle.put(self._spawn())

        threading.Thread(target=replace, name="kgapp-query-worker-start", daemon=True).start()

    def execute(self, job: Job, timeout_s: float) -> Answer | Failure:
        """Run a job within ``timeout_s`` seconds (waiting for a free worker included)."""
        self._start()
        deadline = time.monotonic() + timeout_s
        try:
            chosen = self._idle.get(timeout=timeout_s)
        except queue.Empty:
            raise QueryTimeout(
                f"all {self.size} query workers stayed busy for {timeout_s:g} s; try again in a moment",
                timeout_s=timeout_s,
            ) from None
        try:
            chosen.jobs.send(job)
            finished = chosen.answers.poll(max(deadline - time.monotonic(), 0))
            answer = chosen.answers.recv() if finished else None
        except (EOFError, OSError) as exc:
            self._retire(chosen)
            log.error("query worker %s died: %s", chosen.pid, exc)
            raise QueryFailed("the query worker failed; this is logged") from exc
        if answer is None:
            self._retire(chosen)
            raise QueryTimeout(
                f"the query was stopped after {timeout_s:g} s (the time limit); "
                "narrow it down or add a LIMIT",
                timeout_s=timeout_s,
            )
        self._idle.put(chosen)
        return answer

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (for monitoring and tests)."""
        with self._lock:
            return sorted(w.pid for w in self._all)

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for each in workers:
            each.stop()
