"""Queries to the endpoint answered by a remote store, behind the endpoint's own protections.

The refusals (read-only, ``SERVICE``) are the endpoint's and run before this; here the query
goes to the store's query URL only (never the update URL), on the dataset the policy names,
within the deadline — the HTTP request is cancelled when it passes — and its answer is read as
it streams, cut at the row and byte caps, and written in the asked format by the same writer as
the embedded engine's. At most ``query_workers`` queries per web process are at the store at
once; more wait ``query_queue_wait_s`` or are turned away, as with query processes.

A query we give up on may run on at the store (``oxigraph serve`` does not stop on a closed
connection, and not at all inside an aggregate over a large join): its place is kept until the
store's own time limit has passed (``remote_store_limit_s``), so that queries abandoned one
after another never pile up at the store.
"""

from __future__ import annotations

import logging
import threading
import time

from kgapp.capacity import Gate
from kgapp.config import Settings
from kgapp.engine import answer
from kgapp.engine.job import Answer, Failure, Job
from kgapp.engine.pool import PoolState
from kgapp.engine.reply import reply
from kgapp.errors import QuerySyntaxError, QueryTimeout
from kgapp.formats import SPARQL_JSON
from kgapp.remote.client import StoreClient
from kgapp.remote.protocol import ask, prepare
from kgapp.remote.results import StoreAnswer
from kgapp.remote.settings import RemoteSettings
from kgapp.remote.view import RemoteCurrent, RemoteStore
from kgapp.remote.wire import Deadline, StoreTimeout

log = logging.getLogger("kgapp.remote")
ISOLATION = "remote store (queries run there, not in this process)"


class RemoteEngine:
    def __init__(self, settings: Settings, current: RemoteCurrent) -> None:
        self.settings = settings
        self.current = current
        self.client = StoreClient(RemoteSettings.of(settings).credentials)
        self._gate = Gate.counting(
            settings.query_workers,
            settings.query_queue_length,
            f"{settings.query_workers} queries are already at the store",
        )

    def start(self) -> None:
        """Nothing to start: the store is reached per query, and /health says whether it answers."""

    def shutdown(self) -> None:
        """Nothing to stop: connections close with their threads."""

    def execute(self, job: Job, timeout_s: float) -> Answer | Failure:
        deadline = Deadline(timeout_s)
        slot = self._gate.acquire(min(self.settings.query_queue_wait_s, timeout_s))
        started = time.monotonic()
        try:
            outcome = self._run(job, deadline)
        except StoreTimeout:
            self._release_when_the_store_stops(slot, started)
            raise QueryTimeout(
                f"the query was stopped after {timeout_s:g} s (the time limit); "
                "narrow it down or add a LIMIT",
                timeout_seconds=timeout_s,
            ) from None
        except BaseException:
            self._gate.release(slot)
            raise
        self._gate.release(slot)
        return outcome

    def _release_when_the_store_stops(self, slot: int, started: float) -> None:
        limit = self.settings.remote_store_limit_s or self.settings.query_timeout_s
        left = started + limit - time.monotonic()
        if left <= 0:
            self._gate.release(slot)
            return
        timer = threading.Timer(left, self._gate.release, args=(slot,))
        timer.daemon = True
        timer.start()

    def _run(self, job: Job, deadline: Deadline) -> Answer | Failure:
        store = self.current.get()
        assert isinstance(store, RemoteStore)
        ns = store.namespaces
        try:
            prepared = prepare(
                job.query,
                ns.prefixes,
                store.selection(job.dataset, job.text or job.query),
                ns.empty_graph,
                job.endpoint,
                skolem_prefix=store.skolem.prefix,
                deadline=deadline,
            )
            found = ask(
                self.client, self.settings.remote_query_url, prepared, deadline, store.skolem, job.limits
            )
        except QuerySyntaxError as exc:
            if exc.private:
                log.info("the store refused a query: %s", exc.private)
            return Failure.syntax(exc.message)
        return _reply(job, found, ns.prefixes)

    def state(self) -> PoolState:
        gate = self._gate.state()
        return PoolState(
            size=gate.slots,
            busy=gate.busy,
            waiting=gate.waiting,
            restarts=0,
            isolation=ISOLATION,
            isolation_problems=(),
            networked_queries_allowed=False,
            queries_refused=False,
        )


def _reply(job: Job, found: StoreAnswer, prefixes: dict[str, str]) -> Answer | Failure:
    """The store's answer in the format the job asks for, by the engine's own writer."""
    limits = job.limits
    if found.boolean is not None:
        value = found.boolean
        return reply(
            job,
            found.kind,
            lambda fmt: answer.serialize(value, fmt, prefixes, limits),
            lambda: answer.serialize(value, SPARQL_JSON, {}, limits),
        )
    lines = found.lines
    assert lines is not None
    if found.kind == "graph":
        return reply(
            job,
            found.kind,
            lambda fmt: answer.triples_from_lines(
                lines.body, lines.rows, lines.cut_by, fmt, prefixes, limits
            ),
            lambda: answer.table_from_lines(lines.body, lines.rows, lines.cut_by),
        )
    return reply(
        job,
        found.kind,
        lambda fmt: answer.solutions_from_tsv(lines.body, lines.rows, lines.cut_by, fmt, limits),
        lambda: answer.solutions_from_tsv(lines.body, lines.rows, lines.cut_by, SPARQL_JSON, limits),
    )
