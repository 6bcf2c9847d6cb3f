"""The one interface between the endpoint and whatever runs queries: an embedded pool of query
processes today, a remote SPARQL store tomorrow, behind the same protections."""

from __future__ import annotations

import os
from typing import Protocol

from kgapp.capacity import HOST_SLOTS_ENV
from kgapp.config import Settings
from kgapp.engine.job import Answer, Failure, Job
from kgapp.engine.pool import PoolSettings, PoolState, QueryPool


class QueryEngine(Protocol):
    def execute(self, job: Job, timeout_s: float) -> Answer | Failure:
        """Run ``job`` within ``timeout_s`` seconds; raise a KGError (503) when it cannot run."""
        ...

    def start(self) -> None:
        """Get ready to answer (a server calls it once, before the first request)."""
        ...

    def state(self) -> PoolState: ...

    def shutdown(self) -> None: ...


def create_engine(settings: Settings) -> QueryEngine:
    return QueryPool(
        PoolSettings(
            size=settings.query_workers,
            queue_wait_s=settings.query_queue_wait_s,
            queue_length=settings.query_queue_length,
            memory_mb=settings.query_memory_mb,
            allow_network=settings.allow_networked_queries,
            quick_lane_s=settings.quick_query_limit_s,
            host_slots_dir=os.environ.get(HOST_SLOTS_ENV),  # kgapp serve's, shared by its web processes
            host_slots=settings.query_workers * settings.web_workers,
        )
    )
