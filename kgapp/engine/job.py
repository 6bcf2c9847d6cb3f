"""What crosses the boundary between the endpoint and the process that runs a query."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kgapp.dataset import DatasetRequest


@dataclass(frozen=True)
class Job:
    """One query to run: which build, which dataset, which answer format, how many rows."""

    build_dir: str
    base_iri: str  # the project's base (its namespaces)
    query: str
    endpoint: str  # the base IRI that relative IRIs in the query resolve against
    answer_format: str  # a format suffix from kgapp.formats ("srj", "ttl"…), "html" for a table
    max_rows: int
    dataset: DatasetRequest = field(default_factory=DatasetRequest)


@dataclass(frozen=True)
class Answer:
    """A query's whole answer, serialized: ``body`` in the asked format, or ``table`` (SPARQL
    JSON as a dict) for the query page."""

    rows: int
    truncated: bool
    body: bytes = b""
    table: dict[str, Any] | None = None


@dataclass(frozen=True)
class Failure:
    """A query the engine could not answer: ``kind`` is "syntax" (the user's) or "internal"."""

    kind: str
    message: str
