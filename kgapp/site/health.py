"""What ``/health`` reports: the build being served and whether it conformed."""

from __future__ import annotations

from dataclasses import dataclass

from kgapp.backend import BackendState
from kgapp.engine.pool import PoolState
from kgapp.store import KnowledgeStore


@dataclass(frozen=True)
class BuildState:
    version: int
    input_hash: str
    built_at: str
    asserted_triples: int
    inferred_triples: int
    graphs: int


@dataclass(frozen=True)
class ValidationState:
    conforms: bool
    violations: int
    warnings: int


@dataclass(frozen=True)
class HealthReport:
    status: str
    build: BuildState
    validation: ValidationState
    queries: PoolState  # capacity in use, restarts, isolation of query execution
    backend: BackendState  # where the data is held, and whether that store answers


def health_report(store: KnowledgeStore, queries: PoolState, backend: BackendState) -> HealthReport:
    info = store.info
    return HealthReport(
        status="ok",
        build=BuildState(
            info.version,
            info.input_hash,
            info.built_at,
            info.asserted_triples,
            info.inferred_triples,
            len(info.graphs),
        ),
        validation=ValidationState(info.conforms, info.violations, info.warnings),
        queries=queries,
        backend=backend,
    )
