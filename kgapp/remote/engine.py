"""Queries to the endpoint answered by a remote store, behind the endpoint's own protections.

The refusals (read-only, ``SERVICE``) are the endpoint's and run before this; here the query
goes to the store's query URL only (never the update URL), on the dataset the policy names,
within the deadline — the HTTP request is cancelled when it passes — and its answer is read as
it streams, cut at the row and byte caps, and written in the asked format by the same writer as
the embedded engine's. At most ``query_workers`` queries per web process are at the store at
once; more wait ``query_queue_wait_s`` or are turned away, as with query processes.
"""

from __future__ import annotations

import threading
import time

from kgapp.config import Settings
from kgapp.engine import answer
from kgapp.engine.job import Answer, Failure, Job
from kgapp.engine.pool import PoolState, QueriesUnavailable
from kgapp.engine.reply import reply
from kgapp.errors import QueryTimeout
from kgapp.formats import SPARQL_JSON
from kgapp.querytext import query_form
from kgapp.remote import results
from kgapp.remote.client import StoreClient
from kgapp.remote.protocol import form_body, prepare, unshifted
from kgapp.remote.settings import RemoteSettings
from kgapp.remote.view import RemoteCurrent, RemoteStore
from kgapp.remote.wire import Deadline, StoreRejected, StoreTimeout

ISOLATION = "remote store (queries run there, not in this process)"


class RemoteEngine:
    def __init__(self, settings: Settings, current: RemoteCurrent) -> None:
        self.settings = settings
        self.current = current
        self.client = StoreClient(RemoteSettings.of(settings).credentials)
        self._gate = threading.Condition()
        self._busy = self._waiting = 0

    def start(self) -> None:
        """Nothing to start: the store is reached per query, and /health says whether it answers."""

    def shutdown(self) -> None:
        """Nothing to stop: connections close with their threads."""

    def execute(self, job: Job, timeout_s: float) -> Answer | Failure:
        deadline = Deadline(timeout_s)
        self._enter(min(self.settings.query_queue_wait_s, timeout_s))
        try:
            return self._run(job, deadline)
        except StoreTimeout:
            raise QueryTimeout(
                f"the query was stopped after {timeout_s:g} s (the time limit); "
                "narrow it down or add a LIMIT",
                timeout_seconds=timeout_s,
            ) from None
        finally:
            self._leave()

    def _run(self, job: Job, deadline: Deadline) -> Answer | Failure:
        store = self.current.get()
        assert isinstance(store, RemoteStore)
        ns = store.namespaces
        try:
            selection = store.selection(job.dataset, job.query)
            prepared = prepare(
                job.query,
                ns.prefixes,
                selection,
                ns.empty_graph,
                job.endpoint,
                skolem_prefix=store.skolem.prefix,
            )
        except SyntaxError as exc:
            return Failure.syntax(str(exc))
        form = query_form(job.query)
        try:
            response = self.client.request(
                "POST",
                self.settings.remote_query_url,
                deadline=deadline,
                what="the query",
                body=form_body(prepared),
                content_type="application/x-www-form-urlencoded",
                accept=results.accept_for(form),
            )
        except StoreRejected as exc:
            return Failure.syntax(unshifted(exc.message, prepared.prologue_length))
        limits, prefixes = job.limits, ns.prefixes
        if form == "ASK":
            boolean = results.boolean(response)
            return reply(
                job,
                "boolean",
                lambda fmt: answer.serialize(boolean, fmt, prefixes, limits),
                lambda: answer.serialize(boolean, SPARQL_JSON, {}, limits),
            )
        if form in {"CONSTRUCT", "DESCRIBE"}:
            lines = results.triples(response, store.skolem, limits)
            return reply(
                job,
                "graph",
                lambda fmt: answer.triples_from_lines(
                    lines.body, lines.rows, lines.cut_by, fmt, prefixes, limits
                ),
                lambda: answer.table_from_lines(lines.body, lines.rows, lines.cut_by),
            )
        tsv = results.solutions(response, store.skolem, limits)
        return reply(
            job,
            "solutions",
            lambda fmt: answer.solutions_from_tsv(tsv.body, tsv.rows, tsv.cut_by, fmt, limits),
            lambda: answer.solutions_from_tsv(tsv.body, tsv.rows, tsv.cut_by, SPARQL_JSON, limits),
        )

    # Capacity -----------------------------------------------------------------------------------
    def _enter(self, wait_s: float) -> None:
        with self._gate:
            if self._waiting >= self.settings.query_queue_length:
                raise self._full()
            self._waiting += 1
            try:
                end = time.monotonic() + wait_s
                while self._busy >= self.settings.query_workers:
                    remaining = end - time.monotonic()
                    if remaining <= 0:
                        raise self._full()
                    self._gate.wait(remaining)
                self._busy += 1
            finally:
                self._waiting -= 1

    def _leave(self) -> None:
        with self._gate:
            self._busy -= 1
            self._gate.notify()

    def _full(self) -> QueriesUnavailable:
        return QueriesUnavailable(
            f"{self.settings.query_workers} queries are already at the store; try again in a moment",
            retry_after=1,
        )

    def state(self) -> PoolState:
        with self._gate:
            return PoolState(
                size=self.settings.query_workers,
                busy=self._busy,
                waiting=self._waiting,
                restarts=0,
                isolation=ISOLATION,
                isolation_problems=(),
                networked_queries_allowed=False,
                queries_refused=False,
            )
