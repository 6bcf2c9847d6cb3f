"""What ``/health`` reports: the build being served and whether it conformed."""

from __future__ import annotations

from dataclasses import dataclass

from kgapp.backend import BackendState
from kgapp.config import Settings
from kgapp.engine.pool import PoolState
from kgapp.errors import Unavailable
from kgapp.store import KnowledgeStore
from kgapp.writes.forward import WriteForwarder


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
class WritesState:
    """Whether writes are taken, and by which process: the writer service (under ``kgapp
    serve``), with its process id, how many writes it answered and whether it holds the writer
    now, or the web process itself."""

    taken: bool
    by: str = ""  # "writer service" | "web process"
    process: int | None = None
    answered: int | None = None
    writer_held: bool | None = None
    problem: str = ""


def writes_state(settings: Settings, forwarder: WriteForwarder | None) -> WritesState:
    if not settings.write_tokens:
        return WritesState(taken=False)
    if forwarder is None:
        return WritesState(taken=True, by="web process")
    try:
        found = forwarder.status()
    except Unavailable as exc:
        return WritesState(taken=True, by="writer service", problem=exc.message)
    return WritesState(True, "writer service", found["pid"], found["writesAnswered"], found["writerHeld"])


@dataclass(frozen=True)
class HealthReport:
    status: str
    build: BuildState
    validation: ValidationState
    queries: PoolState  # capacity in use, restarts, isolation of query execution
    backend: BackendState  # where the data is held, and whether that store answers
    writes: WritesState


def health_report(
    store: KnowledgeStore, queries: PoolState, backend: BackendState, writes: WritesState
) -> HealthReport:
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
        writes=writes,
    )
