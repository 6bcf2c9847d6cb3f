"""Queries run in a pool of query processes, so that a deadline really stops the work.

pyoxigraph cannot cancel a query running in the calling process, so each query goes to one of
``size`` processes (:mod:`kgapp.engine.worker`), each holding a read-only open of the build. A
query past its deadline has its process killed; a fresh one starts in the background while the
others keep answering. A query finds a free process within a short wait or is turned away at
once (503 with ``Retry-After``), so waiting queries never pile up and pages keep being served.
Processes start with the first query and stop at exit; the first to start reports how they are
isolated from the network, and without isolation no query runs unless that is allowed.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection

from kgapp.engine.isolation import Isolation
from kgapp.engine.job import Answer, Failure, Job, Ready
from kgapp.engine.worker import MEMORY_LIMIT_VARIABLE
from kgapp.errors import KGError, QueryFailed, QueryTimeout

log = logging.getLogger("kgapp.engine")
WORKER_MODULE = "kgapp.engine.worker"
READY_TIMEOUT_S = 30.0


class QueriesUnavailable(KGError):
    """No query can run now: capacity is full, or the processes cannot be isolated."""

    title = "Service unavailable"
    status = 503


@dataclass(frozen=True)
class PoolSettings:
    size: int  # query processes
    queue_wait_s: float  # how long a query may wait for a free process
    queue_length: int  # how many queries may wait at once; more are turned away at once
    memory_mb: int  # heap limit of each process (0: none)
    allow_network: bool  # run queries even where the processes cannot be isolated


@dataclass(frozen=True)
class PoolState:
    """What /health says about query execution."""

    size: int
    busy: int
    waiting: int
    restarts: int
    isolation: str  # the layers in force, or "none", or "not started"
    isolation_problems: tuple[str, ...]
    networked_queries_allowed: bool
    queries_refused: bool  # no isolation and not allowed: queries are not run


class _Process:
    """A ``python -m kgapp.engine.worker`` process; jobs go down its stdin, answers up its stdout."""

    def __init__(self, memory_mb: int) -> None:
        environment = os.environ | {MEMORY_LIMIT_VARIABLE: str(memory_mb)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
            env=environment,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.jobs = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.ready = self._wait_until_ready()

    def _wait_until_ready(self) -> Ready:
        if not self.answers.poll(READY_TIMEOUT_S):
            self.stop()
            raise QueryFailed("a query process did not start; this is logged")
        message = self.answers.recv()
        assert isinstance(message, Ready)
        return message

    @property
    def pid(self) -> int:
        return self.process.pid

    def died_of_memory(self) -> bool:
        """Whether the process ended by aborting: how the engine stops when an allocation fails
        under the memory limit."""
        try:
            return self.process.wait(timeout=2) == -signal.SIGABRT
        except subprocess.TimeoutExpired:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.error("query process %s did not exit after kill", self.pid)
        self.jobs.close()
        self.answers.close()


class QueryPool:
    """``size`` query processes answering one query each at a time."""

    def __init__(self, settings: PoolSettings) -> None:
        if settings.size < 1:
            raise ValueError(f"query_workers must be at least 1, got {settings.size}")
        self.settings = settings
        self._idle: queue.Queue[_Process] = queue.Queue()
        self._spares: queue.Queue[_Process] = queue.Queue()
        self._all: set[_Process] = set()
        self._lock = threading.Lock()
        self._waiting = 0
        self._restarts = 0
        self._isolation: Isolation | None = None
        self._started = False
        self._closed = False
        self._spawn_requests: queue.Queue[Future[_Process]] = queue.Queue()

    # Processes ------------------------------------------------------------------------------------
    def _spawn(self) -> _Process:
        """Start a process from the pool's own thread and wait until it is ready.

        A process asks the kernel to kill it when its parent goes away, and Linux counts the
        *thread* that started it as the parent: processes started from request threads (which a
        server ends when idle) would die with them, so one long-lived thread starts them all."""
        done: Future[_Process] = Future()
        self._spawn_requests.put(done)
        fresh = done.result()
        with self._lock:
            if self._closed:
                fresh.stop()
                raise QueryFailed("the query service is shutting down")
            self._all.add(fresh)
            if self._isolation is None or not fresh.ready.isolation.isolated:
                self._isolation = fresh.ready.isolation
        return fresh

    def _spawn_loop(self) -> None:
        while True:
            done = self._spawn_requests.get()
            try:
                done.set_result(_Process(self.settings.memory_mb))
            except BaseException as exc:
                done.set_exception(exc)

    def start(self) -> None:
        """Start the processes now rather than with the first query."""
        self._start()

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
            atexit.register(self.shutdown)
            threading.Thread(target=self._spawn_loop, name="kgapp-query-process-starter", daemon=True).start()
        for _ in range(self.settings.size):
            self._idle.put(self._spawn())
        self._spares.put(self._spawn())

    def _retire(self, used: _Process) -> None:
        """Kill a process; a spare, started beforehand, takes its place at once, and a new spare
        starts in the background (so a killed query never leaves the pool short)."""
        with self._lock:
            self._all.discard(used)
            self._restarts += 1
        used.stop()
        try:
            self._idle.put(self._spares.get_nowait())
            refill = self._spares
        except queue.Empty:
            refill = self._idle

        def replace() -> None:
            with contextlib.suppress(KGError):
                refill.put(self._spawn())

        threading.Thread(target=replace, name="kgapp-query-process-start", daemon=True).start()

    # Queries --------------------------------------------------------------------------------------
    def execute(self, job: Job, timeout_s: float) -> Answer | Failure:
        """Run a job within ``timeout_s`` seconds, waiting for a free process included."""
        self._start()
        self._refuse_unisolated()
        deadline = time.monotonic() + timeout_s
        chosen = self._acquire(min(self.settings.queue_wait_s, timeout_s))
        try:
            chosen.jobs.send(job)
            finished = chosen.answers.poll(max(deadline - time.monotonic(), 0))
            outcome = chosen.answers.recv() if finished else None
        except (EOFError, OSError) as exc:
            death = self._death(chosen, exc)
            self._retire(chosen)
            raise death from exc
        if outcome is None:
            self._retire(chosen)
            raise QueryTimeout(
                f"the query was stopped after {timeout_s:g} s (the time limit); "
                "narrow it down or add a LIMIT",
                timeout_seconds=timeout_s,
            )
        self._idle.put(chosen)
        return outcome

    def _acquire(self, wait_s: float) -> _Process:
        with self._lock:
            if self._waiting >= self.settings.queue_length:
                raise self._busy()
            self._waiting += 1
        try:
            return self._idle.get(timeout=wait_s)
        except queue.Empty:
            raise self._busy() from None
        finally:
            with self._lock:
                self._waiting -= 1

    def _busy(self) -> QueriesUnavailable:
        return QueriesUnavailable(
            f"all {self.settings.size} query processes are busy; try again in a moment",
            retry_after=1,
        )

    def _death(self, process: _Process, exc: BaseException) -> KGError:
        if process.died_of_memory():
            return QueriesUnavailable(
                f"the query needed more memory than its limit ({self.settings.memory_mb} MB) and was stopped",
                memory_limit_mb=self.settings.memory_mb,
            )
        log.error("query process %s died: %s (exit %s)", process.pid, exc, process.process.returncode)
        return QueryFailed("the query process failed; this is logged")

    def _refuses(self, isolation: Isolation | None) -> bool:
        return bool(isolation and not isolation.isolated and not self.settings.allow_network)

    def _refuse_unisolated(self) -> None:
        isolation = self._isolation
        if isolation is None or not self._refuses(isolation):
            return
        raise QueriesUnavailable(
            "queries are not run here: the query processes could not be isolated from the network ("
            + "; ".join(isolation.reasons)
            + "); set allow_networked_queries = true to run them anyway"
        )

    # State ----------------------------------------------------------------------------------------
    def state(self) -> PoolState:
        with self._lock:
            isolation = self._isolation
            busy = len(self._all) - self._idle.qsize() - self._spares.qsize() if self._started else 0
            return PoolState(
                size=self.settings.size,
                busy=max(busy, 0),
                waiting=self._waiting,
                restarts=self._restarts,
                isolation=isolation.state if isolation else "not started",
                isolation_problems=isolation.reasons if isolation else (),
                networked_queries_allowed=self.settings.allow_network,
                queries_refused=self._refuses(isolation),
            )

    def process_ids(self) -> list[int]:
        """Process ids of the live query processes (for monitoring and tests)."""
        with self._lock:
            return sorted(p.pid for p in self._all)

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            processes = list(self._all)
            self._all.clear()
        for each in processes:
            each.stop()
