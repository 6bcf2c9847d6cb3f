"""Queries run in a pool of query processes, so that a deadline really stops the work.

pyoxigraph cannot cancel a query running in the calling process, so each query goes to one of
``size`` processes (:mod:`kgapp.engine.process`), each holding a read-only open of the build. A
query past its deadline has its process killed; a spare, started beforehand, takes its place at
once and a new spare starts in the background. A query finds a free process within a short wait
or is turned away (503 with ``Retry-After``), so waiting queries never pile up.

When every process is busy, one more process — the quick lane — takes a query with a tight
deadline: a quick query (``ASK {}``, a lookup) is answered while long ones fill the pool, and a
long one there is stopped at that deadline. The first process to start reports how the
processes are isolated from the network; without isolation no query runs unless allowed.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass

from kgapp.capacity import Gate, HostSlots
from kgapp.engine.isolation import Isolation
from kgapp.engine.job import Answer, Failure, Job
from kgapp.engine.process import QueryProcess
from kgapp.errors import KGError, QueryFailed, QueryTimeout, Unavailable

log = logging.getLogger("kgapp.engine")
REGULAR, QUICK = "regular", "quick"
RANKS = {REGULAR: 0, QUICK: 1}  # a quick-lane process is handed out only when no regular one is free


@dataclass(frozen=True)
class PoolSettings:
    size: int  # query processes
    queue_wait_s: float  # how long a query may wait for a free process
    queue_length: int  # how many queries may wait at once; more are turned away at once
    memory_mb: int  # heap limit of each process (0: none)
    allow_network: bool  # run queries even where the processes cannot be isolated
    quick_lane_s: float = 0.5  # deadline of a query in the quick lane
    host_slots_dir: str | None = None  # the server's shared slots (kgapp.capacity.HostSlots)
    host_slots: int = 0  # queries the whole host runs at once (each web process may grow to it)


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
    host_slots: int = 0  # queries the server's web processes run at once, together (0: no sharing)
    host_busy: int = 0  # of which are running now


class QueryPool:
    """``size`` query processes and a quick lane, answering one query each at a time."""

    def __init__(self, settings: PoolSettings) -> None:
        if settings.size < 1:
            raise ValueError(f"query_workers must be at least 1, got {settings.size}")
        self.settings = settings
        self._lock = threading.Lock()
        # Each process is a slot; the quick lane ranks after the regular ones.
        self._gate: Gate[QueryProcess] = Gate(
            settings.queue_length, f"all {settings.size} query processes are busy"
        )
        self._spares: list[QueryProcess] = []
        self._all: set[QueryProcess] = set()
        self._quick: set[QueryProcess] = set()  # the process that is the quick lane now
        self._restarts = 0
        self._isolation: Isolation | None = None
        self._started = self._closed = False
        self._spawn_requests: queue.Queue[Future[QueryProcess]] = queue.Queue()
        self._host = (
            HostSlots(settings.host_slots_dir, settings.host_slots)
            if settings.host_slots_dir and settings.host_slots > 0
            else None
        )
        self._regular = settings.size  # regular processes, grown past size while the host has room

    # Processes ------------------------------------------------------------------------------------
    def _spawn(self) -> QueryProcess:
        """Start a process from the pool's own thread and wait until it is ready.

        A process asks the kernel to kill it when its parent goes away, and Linux counts the
        *thread* that started it as the parent: processes started from request threads (which a
        server ends when idle) would die with them, so one long-lived thread starts them all."""
        done: Future[QueryProcess] = Future()
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
                done.set_result(QueryProcess(self.settings.memory_mb))
            except BaseException as exc:
                done.set_exception(exc)

    def start(self) -> None:
        """Start the processes now rather than with the first query."""
        with self._lock:
            if self._started:
                return
            self._started = True
            atexit.register(self.shutdown)
            threading.Thread(target=self._spawn_loop, name="kgapp-query-process-starter", daemon=True).start()
        regular = [self._spawn() for _ in range(self.settings.size)]
        quick, spare = self._spawn(), self._spawn()
        with self._lock:
            self._spares.append(spare)
        for process in regular:
            self._release(process, REGULAR)
        self._release(quick, QUICK)

    def _release(self, process: QueryProcess, lane: str) -> None:
        with self._lock:
            if lane == QUICK:
                self._quick.add(process)
            else:
                self._quick.discard(process)
        self._gate.release(process, RANKS[lane])

    def _retire(self, used: QueryProcess, lane: str) -> None:
        """Kill a process; a spare takes its place at once, and a new spare starts."""
        with self._lock:
            self._all.discard(used)
            self._restarts += 1
            spare = self._spares.pop() if self._spares else None
        self._gate.discard(used)
        used.stop()
        if spare is not None:
            self._release(spare, lane)

        def replace() -> None:
            with contextlib.suppress(KGError):
                fresh = self._spawn()
                if spare is None:
                    self._release(fresh, lane)
                else:
                    with self._lock:
                        self._spares.append(fresh)

        threading.Thread(target=replace, name="kgapp-query-process-start", daemon=True).start()

    # Queries --------------------------------------------------------------------------------------
    def execute(self, job: Job, timeout_s: float) -> Answer | Failure:
        """Run a job within ``timeout_s`` seconds, waiting for a free process included."""
        self.start()
        self._refuse_unisolated()
        started = time.monotonic()
        wait = min(self.settings.queue_wait_s, timeout_s)
        host_slot = self._host.take(wait) if self._host is not None else None
        try:
            process, lane = self._acquire(
                max(0.0, wait - (time.monotonic() - started)), host_slot is not None
            )
            return self._run(job, process, lane, started, timeout_s)
        finally:
            if host_slot is not None:
                HostSlots.give_back(host_slot)

    def _run(
        self, job: Job, process: QueryProcess, lane: str, started: float, timeout_s: float
    ) -> Answer | Failure:
        limit = timeout_s if lane == REGULAR else min(timeout_s, self.settings.quick_lane_s)
        deadline = started + limit
        try:
            process.jobs.send(job)
            finished = process.answers.poll(max(deadline - time.monotonic(), 0))
            outcome = process.answers.recv() if finished else None
        except (EOFError, OSError) as exc:
            death = self._death(process, exc)
            self._retire(process, lane)
            raise death from exc
        if outcome is None:
            self._retire(process, lane)
            raise self._stopped(limit, lane, timeout_s)
        self._release(process, lane)
        assert isinstance(outcome, Answer | Failure)
        return outcome

    def _acquire(self, wait_s: float, host_has_room: bool) -> tuple[QueryProcess, str]:
        """A free process, the quick lane when the pool is full, within ``wait_s``. Where the
        server's web processes share host slots: without one, only the quick lane; with one, a
        regular process, started now if every one of this web process's is busy (another web
        process is leaving the host's capacity unused)."""
        if self._host is not None and not host_has_room:
            process = self._gate.acquire(wait_s, ranks={RANKS[QUICK]})
        elif self._host is not None and (grown := self._grown()) is not None:
            return grown, REGULAR
        else:
            process = self._gate.acquire(wait_s)
        with self._lock:
            lane = QUICK if process in self._quick else REGULAR
        return process, lane

    def _grown(self) -> QueryProcess | None:
        """A free regular process, or a new one while this web process has fewer than the host's
        slots; None when it has that many (the caller waits for one)."""
        free = self._gate.try_acquire(ranks={RANKS[REGULAR]})
        if free is not None:
            return free
        assert self._host is not None
        with self._lock:
            if self._regular >= self._host.count:
                return None
            self._regular += 1
        try:
            return self._spawn()
        except BaseException:
            with self._lock:
                self._regular -= 1
            raise

    def _stopped(self, limit: float, lane: str, asked: float) -> KGError:
        if lane == QUICK and limit < asked:
            return Unavailable(
                f"every query process is busy with a long query; this one ran in the lane kept for "
                f"quick queries and was stopped after {limit:g} s there. Try again in a moment",
                retry_after=1,
            )
        return QueryTimeout(
            f"the query was stopped after {limit:g} s (the time limit); narrow it down or add a LIMIT",
            timeout_seconds=limit,
        )

    def _death(self, process: QueryProcess, exc: BaseException) -> KGError:
        if process.died_of_memory():
            return Unavailable(
                f"the query needed more memory than its limit ({self.settings.memory_mb} MB) and was stopped",
                memory_limit_mb=self.settings.memory_mb,
            )
        log.error("query process %s died: %s (exit %s)", process.pid, exc, process.process.returncode)
        return QueryFailed("the query process failed; this is logged")

    def _refuses(self, isolation: Isolation | None) -> bool:
        return bool(isolation and not isolation.isolated and not self.settings.allow_network)

    def _refuse_unisolated(self) -> None:
        isolation = self._isolation
        if not self._refuses(isolation):
            return
        assert isolation is not None
        raise Unavailable(
            "queries are not run here: the query processes could not be isolated from the network ("
            + "; ".join(isolation.reasons)
            + "); set allow_networked_queries = true to run them anyway"
        )

    # State ----------------------------------------------------------------------------------------
    def state(self) -> PoolState:
        gate = self._gate.state()
        with self._lock:
            isolation = self._isolation
            return PoolState(
                size=self._regular,
                busy=gate.busy if self._started else 0,
                waiting=gate.waiting,
                restarts=self._restarts,
                isolation=isolation.state if isolation else "not started",
                isolation_problems=isolation.reasons if isolation else (),
                networked_queries_allowed=self.settings.allow_network,
                queries_refused=self._refuses(isolation),
                host_slots=self._host.count if self._host else 0,
                host_busy=self._host.busy() if self._host else 0,
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
