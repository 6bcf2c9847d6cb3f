"""Every version's record and the changes it made, kept after the version itself is pruned.

``history.sqlite`` in the data directory: one row per version (number, id, time, kind, agent,
message, parent, counts) and one per quad a commit took out of or put into a named graph, its
terms in N-Triples form (indexed by subject and object, for an entity's history). A whole build
records its counts only. Rows are derived from the version directories, so writing them again
changes nothing: a commit cut short after its switch is recorded by the next writer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

HISTORY_FILE = "history.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
    number INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    committed_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    agent TEXT NOT NULL,
    message TEXT NOT NULL,
    parent INTEGER,
    input_hash TEXT NOT NULL,
    added INTEGER NOT NULL,
    removed INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS changes (
    version INTEGER NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('+', '-')),
    graph TEXT NOT NULL,
    subject TEXT NOT NULL,
    predicate TEXT NOT NULL,
    object TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS changes_by_version ON changes (version);
CREATE INDEX IF NOT EXISTS changes_by_subject ON changes (subject);
CREATE INDEX IF NOT EXISTS changes_by_object ON changes (object);
"""


@dataclass(frozen=True)
class VersionRecord:
    number: int
    id: str
    committed_at: str
    kind: str
    agent: str
    message: str
    parent: int | None
    input_hash: str
    added: int
    removed: int


@contextmanager
def opened(data_dir: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(data_dir / HISTORY_FILE, timeout=30)) as connection:
        connection.executescript(SCHEMA)
        yield connection


def record(
    data_dir: Path, version: VersionRecord, removed: Iterable[ox.Quad], added: Iterable[ox.Quad]
) -> None:
    """Record a version and its changes in one transaction (again: nothing changes)."""
    with opened(data_dir) as db, db:
        if db.execute("SELECT 1 FROM versions WHERE number = ?", (version.number,)).fetchone():
            return
        db.execute(
            "INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                version.number,
                version.id,
                version.committed_at,
                version.kind,
                version.agent,
                version.message,
                version.parent,
                version.input_hash,
                version.added,
                version.removed,
            ),
        )
        db.executemany(
            "INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?)",
            [
                (version.number, op, q.graph_name.value, str(q.subject), str(q.predicate), str(q.object))  # type: ignore[union-attr]
                for op, quads in (("-", removed), ("+", added))
                for q in quads
            ],
        )


def recorded(data_dir: Path) -> set[int]:
    if not (data_dir / HISTORY_FILE).exists():
        return set()
    with opened(data_dir) as db:
        return {row[0] for row in db.execute("SELECT number FROM versions")}


def versions(data_dir: Path) -> list[VersionRecord]:
    """Every version ever made, oldest first."""
    if not (data_dir / HISTORY_FILE).exists():
        return []
    with opened(data_dir) as db:
        return [VersionRecord(*row) for row in db.execute("SELECT * FROM versions ORDER BY number")]


def last_number(data_dir: Path) -> int:
    """The highest version number ever given (numbers are never reused, even after pruning)."""
    if not (data_dir / HISTORY_FILE).exists():
        return 0
    with opened(data_dir) as db:
        row = db.execute("SELECT MAX(number) FROM versions").fetchone()
        return int(row[0] or 0)


ChangeRow = tuple[str, str, str, str, str]  # op, graph, subject, predicate, object (N-Triples)


def changes_in(data_dir: Path, number: int) -> list[ChangeRow]:
    """What version ``number`` took out ("-") and put in ("+"), in the order it recorded them."""
    if not (data_dir / HISTORY_FILE).exists():
        return []
    with opened(data_dir) as db:
        query = "SELECT op, graph, subject, predicate, object FROM changes WHERE version = ? ORDER BY rowid"
        return [tuple(row) for row in db.execute(query, (number,))]


def touching(data_dir: Path, term: str) -> list[tuple[int, str, str, str, str, str]]:
    """Every recorded change whose subject or object is ``term`` (N-Triples form), by version."""
    if not (data_dir / HISTORY_FILE).exists():
        return []
    with opened(data_dir) as db:
        query = (
            "SELECT version, op, graph, subject, predicate, object FROM changes "
            "WHERE subject = ? UNION ALL SELECT version, op, graph, subject, predicate, object "
            "FROM changes WHERE object = ? AND subject != ? ORDER BY 1"
        )
        return [tuple(row) for row in db.execute(query, (term, term, term))]


def versions_touching(data_dir: Path, term: str) -> list[int]:
    """The versions whose changes mention ``term`` as subject or object, oldest first."""
    return sorted({row[0] for row in touching(data_dir, term)})
