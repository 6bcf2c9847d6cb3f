"""What crosses the boundary between the endpoint and the process that runs a query."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kgapp.dataset import DatasetRequest
from kgapp.engine.answer import Limits
from kgapp.engine.isolation import Isolation
from kgapp.querytext import QueryText

SYNTAX_POSITIONS = (
    re.compile(r"\b(?:error )?at (?P<line>\d+):(?P<column>\d+)"),
    re.compile(r"\bline (?P<line>\d+),? column (?P<column>\d+)", re.IGNORECASE),
    re.compile(r"\bline (?P<line>\d+)(?P<column>)\b", re.IGNORECASE),
)

# The kinds of answer, by what the engine returned; each is answered in its own formats.
FORMS = {"solutions": "SELECT", "boolean": "ASK", "graph": "CONSTRUCT"}


@dataclass(frozen=True)
class Job:
    """One query to run: which build, which dataset, which answer format, within which limits."""

    build: str  # the build's key (for the embedded store, its directory)
    base_iri: str  # the project's base (its namespaces)
    query: str
    endpoint: str | None  # the base IRI that relative IRIs in the query resolve against
    limits: Limits
    dataset: DatasetRequest = field(default_factory=DatasetRequest)
    accept: str | None = None  # the Accept header
    format_name: str | None = None  # format= (or output=, results=): wins over Accept
    table: bool = False  # for the query page: SPARQL JSON, to be shown as a table
    text: QueryText | None = None  # what the endpoint read of the query: nothing reads it again
    chosen: tuple[str, str] | None = None  # (media type, format name) negotiated for text.form


@dataclass(frozen=True)
class Answer:
    """A query's whole answer, serialized as ``content_type`` says (SPARQL JSON for a table)."""

    kind: str  # "solutions", "boolean" or "graph"
    content_type: str
    body: bytes
    rows: int
    truncated_by: str | None = None  # "rows" or "bytes" when the answer was cut

    @property
    def form(self) -> str:
        return FORMS[self.kind]


@dataclass(frozen=True)
class Failure:
    """A query the engine would not or could not answer.

    ``kind`` is "syntax" or "evaluation" (the query's fault), "not-acceptable" (no asked format
    fits this kind of answer), "unserializable" (the format cannot hold it) or "internal".
    """

    kind: str
    message: str
    available: tuple[str, ...] = ()  # media types that would do, for "not-acceptable"
    line: int | None = None  # where a syntax error is, when the parser says
    column: int | None = None

    @classmethod
    def syntax(cls, message: str) -> Failure:
        """A syntax error, its position read from the message: pyoxigraph's ``error at 3:1``
        and ``line:column`` forms, Virtuoso's ``line 3``, Jena's ``line 3, column 1``."""
        for pattern in SYNTAX_POSITIONS:
            found = pattern.search(message)
            if found and int(found.group("line")) > 0:  # Virtuoso says "line 0" when it cannot tell
                column = found.group("column")
                return cls(
                    "syntax", message, line=int(found.group("line")), column=int(column) if column else None
                )
        return cls("syntax", message)


@dataclass(frozen=True)
class Ready:
    """A query process's first message: it is up, and this is how it is isolated."""

    pid: int
    isolation: Isolation
