"""The input files as they are now, each with its digest, and which of them differ from the
version served: all ``kgapp build`` reads when nothing changed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from kgapp.commits.filerecords import FileRecord
from kgapp.inputfiles import InputFile, discover


@dataclass
class InputSet:
    """The input files as they are now, each with its digest (read again only when its size or
    modification time differs from the version's record)."""

    items: dict[str, InputFile]
    records: dict[str, FileRecord]
    texts: dict[str, bytes] = field(default_factory=dict)  # the files read to hash them

    def text(self, name: str) -> bytes:
        if name not in self.texts:
            self.texts[name] = self.items[name].path.read_bytes()
        return self.texts[name]


def read_inputs(project_root: Path, previous: dict[str, FileRecord]) -> InputSet:
    items = {f.relative: f for f in discover(project_root)}
    found = InputSet(items, {})
    for name, item in items.items():
        stat = item.path.stat()
        before = previous.get(name)
        if before is not None and (before.size, before.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            found.records[name] = before
            continue
        digest = hashlib.sha256(found.text(name)).hexdigest()
        graph = before.graph if before is not None and before.digest == digest else ""
        found.records[name] = FileRecord(digest, graph, item.kind, stat.st_size, stat.st_mtime_ns)
    return found


def digests(found: InputSet) -> dict[str, str]:
    return {name: record.digest for name, record in found.records.items()}


def changed_files(previous: dict[str, FileRecord], found: InputSet) -> tuple[list[str], list[str]]:
    """Files added or edited, and files removed, since the version ``previous`` describes."""
    changed = [n for n, r in found.records.items() if n not in previous or previous[n].digest != r.digest]
    removed = [n for n in previous if n not in found.records]
    return sorted(changed), sorted(removed)
