"""The data directory's layout, and the record each version keeps (:class:`BuildInfo`): the one
place that knows where a version lives. Light on purpose: ``kgapp build`` on unchanged inputs
reads only this.

Under the data directory (the writer's side is :mod:`kgapp.commits`)::

    live/                       the writer's store; no reader ever opens it
    live.json                   which version live holds, and whether a commit was cut short in it
    versions/<n>/store/         version n's store: a checkpoint of live (hard links), only read
    versions/<n>/build.json     what went in, what came out, what the commit changed (:class:`BuildInfo`)
    versions/<n>/report.json    the validation results kept with the version (warnings)
    versions/<n>/files.json     the input files the version was made from, with their digests
    versions/<n>/change/        the quads the commit took out and put in (N-Quads)
    versions/<n>/dumps/         the dataset as files, written when first asked for (:mod:`kgapp.dumps`)
    inputs/<sha256>             each input file as committed, by content (what the next build diffs)
    history.sqlite              every version's record and changes, kept after the version is pruned
    current -> versions/<n>     symlink, replaced atomically when a commit completes

A version's directory never changes once ``current`` can name it (its dumps only appear), so a
failed commit leaves the previous version answering queries.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

BUILD_INFO_FILE = "build.json"
STORE_DIR = "store"
CURRENT_LINK = "current"
VERSIONS_DIR = "versions"
DUMPS_DIR = "dumps"


@dataclass
class BuildInfo:
    """What a build read, what it produced and whether the data conformed."""

    input_hash: str
    built_at: str
    base_iri: str
    input_files: list[str]
    graphs: dict[str, int]
    asserted_triples: int
    inferred_triples: int
    conforms: bool
    violations: int = 0
    warnings: int = 0
    dropped_inferences: dict[str, int] = field(default_factory=dict)
    timings_s: dict[str, float] = field(default_factory=dict)
    backends: dict[str, str] = field(default_factory=dict)  # stage → engine that ran it
    disagreements: list[dict[str, Any]] = field(default_factory=list)  # Disagreement records
    version: int = 1  # the commit's number: monotone, never reused
    version_id: str = ""  # names the version wherever it is copied (a remote store's pointer)
    pipeline: str = ""  # digest of the code and libraries that made it (a change means a whole build)
    parent: int | None = None  # the version the commit was applied to (None: made from nothing)
    parent_id: str = ""  # that version's id
    kind: str = "build"  # "build" (whole, from the files), "commit" (a delta), "graphs" (given graphs)
    agent: str = ""  # who made the change
    message: str = ""  # why, in the committer's words
    change: dict[str, int] = field(default_factory=dict)  # "added"/"removed" quads of the named graphs

    def write(self, directory: Path) -> None:
        # one line: json's fast encoder takes no indent, and a large graph's record names thousands
        # of graphs, written again by every commit
        text = json.dumps({f.name: getattr(self, f.name) for f in fields(self)}, sort_keys=True)
        (directory / BUILD_INFO_FILE).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def read(cls, directory: Path) -> BuildInfo:
        return cls.from_record(json.loads((directory / BUILD_INFO_FILE).read_text(encoding="utf-8")))

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> BuildInfo:
        """From its JSON form; keys this version does not know (a newer writer's) are left out."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in record.items() if k in known})


def versions_root(data_dir: Path) -> Path:
    return data_dir / VERSIONS_DIR


def version_dir(data_dir: Path, number: int) -> Path:
    return versions_root(data_dir) / str(number)


def current_link(data_dir: Path) -> Path:
    return data_dir / CURRENT_LINK


def current_build_dir(data_dir: Path) -> Path | None:
    """The build being served, or None when nothing has been built yet."""
    link = current_link(data_dir)
    if not link.is_symlink() and not link.exists():
        return None
    target = link.resolve()
    if not (target / BUILD_INFO_FILE).exists():
        return None
    return target


def switch_current(data_dir: Path, build_dir: Path) -> None:
    """Point ``current`` at ``build_dir`` in one atomic rename."""
    link = current_link(data_dir)
    temporary = data_dir / f".{CURRENT_LINK}.{os.getpid()}.tmp"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(os.path.relpath(build_dir, data_dir))
    os.replace(temporary, link)
