"""The input files a version was made from (``files.json``): each file's digest, the graph it
feeds, and its size and modification time, which tell an unchanged file without reading it."""

from __future__ import annotations

import json
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

FILES_FILE = "files.json"


@dataclass(frozen=True)
class FileRecord:
    """An input file as a version was made from it."""

    digest: str  # sha256 of its bytes: its copy is kept under inputs/ by this name
    graph: str  # the named graph it feeds
    kind: str  # "ontology" | "shapes" | "entities" | "source"
    size: int = 0  # with the modification time, tells an unchanged file without reading it
    mtime_ns: int = 0


def read_files(directory: Path) -> dict[str, FileRecord]:
    """A version's record of files (a copy: the caller may change it). A version's record never
    changes once written, so each is parsed once per process (by its inode): every write over
    HTTP reads the current one, and pruning reads every retained one."""
    try:
        status = (directory / FILES_FILE).stat()
    except OSError:
        return {}
    key = (status.st_dev, status.st_ino, status.st_mtime_ns, status.st_size)
    with _parsed_lock:
        found = _parsed.get(key)
    if found is None:
        try:
            records = json.loads((directory / FILES_FILE).read_text(encoding="utf-8"))
        except OSError:
            return {}
        found = {name: FileRecord(**record) for name, record in records.items()}
        with _parsed_lock:
            _parsed[key] = found
            while len(_parsed) > PARSED_KEPT:
                _parsed.pop(next(iter(_parsed)))
    return dict(found)


PARSED_KEPT = 64  # records kept parsed: more than the versions a data directory keeps
_parsed: dict[tuple[int, int, int, int], dict[str, FileRecord]] = {}
_parsed_lock = threading.Lock()


def write_files(directory: Path, files: dict[str, FileRecord]) -> None:
    records = {name: vars(record) for name, record in sorted(files.items())}
    path = directory / FILES_FILE
    path.write_text(json.dumps(records) + "\n", encoding="utf-8")
    status = path.stat()  # the next commit reads it back: it is known already
    with _parsed_lock:
        _parsed[(status.st_dev, status.st_ino, status.st_mtime_ns, status.st_size)] = dict(files)


def referenced_inputs(versions: list[Path]) -> set[str]:
    """The digests of the input files the versions were made from. Versions made from the same
    files share one ``files.json`` (hard links): each is read once."""
    seen: set[tuple[int, int]] = set()
    digests: set[str] = set()
    for directory in versions:
        try:
            status = (directory / FILES_FILE).stat()
        except OSError:
            continue
        if (status.st_dev, status.st_ino) not in seen:
            seen.add((status.st_dev, status.st_ino))
            digests.update(record.digest for record in read_files(directory).values())
    return digests


def keep_files(parent: Path, directory: Path) -> None:
    """The parent version's record of files, for a version made from the same files: a hard link
    to it (a version's files never change once written), or a copy where links cannot be made."""
    try:
        os.link(parent / FILES_FILE, directory / FILES_FILE)
    except OSError:
        shutil.copyfile(parent / FILES_FILE, directory / FILES_FILE)
