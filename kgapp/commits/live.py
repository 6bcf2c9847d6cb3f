"""The writer's live store, and putting the data directory right after a commit was cut short.

``live-<token>/`` (``live.json`` names it) is the only store ever opened for writing; readers open
the versions' checkpoints. A commit marks ``live.json`` dirty before it changes the live store and
clean, with the new version's number, once that version is current. When the writer starts it
finds one of:

- the marker clean at the current version: the live store is that version, used as it is;
- anything else (a commit killed half-way, a missing store, a version switched to but not marked):
  a live store is made again from the current version's checkpoint, which is cheap (hard links),
  under a new name (a store still open in this process keeps the old one's lock).

Versions written but never made current, and temporary directories, are removed; versions made
current but not yet in the history are recorded there.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgapp.commits import history
from kgapp.commits.directories import TEMPORARY_PREFIX, check_version_dir, complete_versions, link_target
from kgapp.layout import STORE_DIR, BuildInfo, versions_root
from kgapp.namespaces import Namespaces

LIVE_DIR = "live"
LIVE_MARKER = "live.json"
CHANGE_DIR = "change"
REMOVED_FILE = "removed.nq"
ADDED_FILE = "added.nq"


@dataclass(frozen=True)
class Marker:
    version: int
    clean: bool
    directory: str  # the live store's directory under the data directory


def read_marker(data_dir: Path) -> Marker | None:
    try:
        record = json.loads((data_dir / LIVE_MARKER).read_text(encoding="utf-8"))
        return Marker(int(record["version"]), bool(record["clean"]), str(record["directory"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_marker(data_dir: Path, marker: Marker) -> None:
    """Replace the marker in one rename, on disk before anything that depends on it."""
    temporary = data_dir / f".{LIVE_MARKER}.{os.getpid()}.tmp"
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump({"version": marker.version, "clean": marker.clean, "directory": marker.directory}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, data_dir / LIVE_MARKER)


def current_number(data_dir: Path) -> int | None:
    """The number of the version ``current`` names, or None when there is none (or it is broken)."""
    target = link_target(data_dir)
    if target is None or not target.name.isdigit():
        return None
    try:
        check_version_dir(target)
    except Exception:
        return None
    return int(target.name)


def tidy(data_dir: Path, current: int | None) -> None:
    """Remove what a cut-short writer left: temporary directories and versions newer than current."""
    root = versions_root(data_dir)
    if not root.is_dir():
        return
    linked = link_target(data_dir)
    if current is None and linked is not None and linked.name.isdigit():
        current = int(linked.name)  # a broken current version: the ones before it stay readable
    for path in root.iterdir():
        if path.name.startswith(TEMPORARY_PREFIX) or (
            path.name.isdigit() and int(path.name) > (current or 0)
        ):
            shutil.rmtree(path, ignore_errors=True)


def open_live(data_dir: Path, current: int | None) -> tuple[ox.Store, Marker] | None:
    """The live store at the current version (made again from its checkpoint when it may not
    be) and its marker; None when there is no version yet."""
    if current is None:
        _remove_live(data_dir, keep=None)
        return None
    marker = read_marker(data_dir)
    if (
        marker is None
        or (marker.version, marker.clean) != (current, True)
        or not (data_dir / marker.directory).is_dir()
    ):
        marker = restore(data_dir, current)
    return _opened(data_dir / marker.directory), marker


def _opened(directory: Path) -> ox.Store:
    """The store at ``directory``, opened for writing. An earlier writer of this process whose
    store is held only by a reference cycle (an exception's traceback keeps the frames that
    held it) still has RocksDB's lock until the cycle is collected: collect, and try again."""
    try:
        return ox.Store(str(directory))
    except OSError as exc:
        if "lock hold by current process" not in str(exc):
            raise
    gc.collect()
    return ox.Store(str(directory))


def restore(data_dir: Path, number: int) -> Marker:
    """Make a live store that is a copy of version ``number``'s store (a checkpoint: hard links)."""
    directory = f"{LIVE_DIR}-{uuid.uuid4().hex[:12]}"
    write_marker(data_dir, Marker(number, False, directory))
    _remove_live(data_dir, keep=None)
    checkpoint = ox.Store.read_only(str(versions_root(data_dir) / str(number) / STORE_DIR))
    checkpoint.backup(str(data_dir / directory))
    del checkpoint
    marker = Marker(number, True, directory)
    write_marker(data_dir, marker)
    return marker


def _remove_live(data_dir: Path, keep: str | None) -> None:
    for path in data_dir.glob(f"{LIVE_DIR}*"):
        if path.is_dir() and path.name != keep:
            shutil.rmtree(path, ignore_errors=True)


def record_history(data_dir: Path, namespaces: Namespaces) -> None:
    """Record in the history every complete version it does not hold yet."""
    known = history.recorded(data_dir)
    for directory in complete_versions(data_dir):
        if int(directory.name) not in known:
            record_version(data_dir, directory, namespaces)


def record_version(data_dir: Path, directory: Path, namespaces: Namespaces) -> None:
    """A version's record and the asserted quads it changed (what the inferred graph gained or
    lost follows from them, and is counted in its ``build.json``)."""
    info = BuildInfo.read(directory)
    removed, added = read_change(directory)
    left_out = set(namespaces.derived_graphs) | {namespaces.inferred_graph}
    history.record(
        data_dir,
        history.VersionRecord(
            number=info.version,
            id=info.version_id,
            committed_at=info.built_at,
            kind=info.kind,
            agent=info.agent,
            message=info.message,
            parent=info.parent,
            input_hash=info.input_hash,
            added=info.change.get("added", 0),
            removed=info.change.get("removed", 0),
        ),
        [q for q in removed if _recorded(q, left_out)],
        [q for q in added if _recorded(q, left_out)],
    )


def _recorded(quad: ox.Quad, left_out: set[str]) -> bool:
    return isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value not in left_out


def read_change(directory: Path) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The quads a commit took out and put in (every graph of the store), as it wrote them."""
    found = []
    for name in (REMOVED_FILE, ADDED_FILE):
        path = directory / CHANGE_DIR / name
        found.append(list(ox.parse(path=path, format=ox.RdfFormat.N_QUADS)) if path.exists() else [])
    return found[0], found[1]


def write_change(directory: Path, removed: list[ox.Quad], added: list[ox.Quad]) -> None:
    target = directory / CHANGE_DIR
    target.mkdir()
    for name, quads in ((REMOVED_FILE, removed), (ADDED_FILE, added)):
        with (target / name).open("wb") as out:
            ox.serialize(sorted(quads, key=str), out, format=ox.RdfFormat.N_QUADS)
