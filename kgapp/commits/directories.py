"""Version directories: written under a temporary name, renamed when complete, pruned to the
last N; and the lock that keeps one writer per data directory.

A version directory is complete when it holds ``build.json``, which is written last; the rename
makes it visible and the ``current`` switch makes it served. A process killed at any point
leaves at most a ``.tmp-*`` directory, or a complete version ``current`` does not name yet, which
the next writer removes (:mod:`kgapp.commits.live`).
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from kgapp.errors import KGError
from kgapp.layout import BUILD_INFO_FILE, STORE_DIR, current_link, version_dir, versions_root

TEMPORARY_PREFIX = ".tmp-"


class DataDirError(KGError):
    """The data directory cannot be written (read-only, full disk) or holds a broken version."""

    title = "Data directory error"


class WriterBusy(DataDirError):
    """Another writer holds the data directory for longer than this one may wait."""

    title = "Service unavailable"
    status = 503


LOCK_FILE = ".writer.lock"


@contextmanager
def writer_lock(data_dir: Path, wait_s: float = 0.0) -> Iterator[None]:
    """One writer at a time per data directory: only one process may open the live store. A
    writer waits up to ``wait_s`` for the one before it to finish."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        handle = (data_dir / LOCK_FILE).open("a+")
    except OSError as exc:
        raise writing_failed(exc, data_dir) from None
    with handle:
        try:
            _lock(handle, time.monotonic() + wait_s)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise WriterBusy(
                "another writer is committing into the data directory; wait for it to finish",
                private=f"{data_dir}: {holder}",
                retry_after=1,
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _lock(handle: TextIO, until: float) -> None:
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= until:
                raise
            time.sleep(0.005)


def new_version_dir(data_dir: Path, number: int) -> tuple[Path, Path]:
    """A fresh temporary directory to write version ``number`` into, and its name when complete."""
    root = versions_root(data_dir)
    final = version_dir(data_dir, number)
    temporary = root / f"{TEMPORARY_PREFIX}{number}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        remove_leftovers(root)
        if final.exists():  # a version written but never made current (a cut-short commit)
            shutil.rmtree(final)
        temporary.mkdir()
    except OSError as exc:
        raise writing_failed(exc, data_dir) from None
    return temporary, final


def remove_leftovers(root: Path) -> None:
    """Directories of builds that were killed before they completed."""
    for path in root.iterdir():
        if path.name.startswith(TEMPORARY_PREFIX) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


def writing_failed(exc: OSError, data_dir: Path) -> DataDirError:
    """A message that says why; the store (RocksDB) reports errors as text without an errno."""
    reason = REASONS.get(exc.errno or 0)
    if reason is None:
        text = str(exc)
        found = [r for code, r in REASONS.items() if os.strerror(code) in text]
        reason = f"{found[0]} ({text})" if found else text
    return DataDirError(
        f"cannot write into {data_dir}: {reason} ({exc.filename or data_dir}). "
        "Nothing was changed: the previous version keeps serving."
    )


def check_version_dir(directory: Path) -> None:
    """Fail with a way back when the version that ``current`` names is missing or incomplete."""
    if not directory.is_dir():
        raise DataDirError(
            f"the current version {directory} is missing. Run 'kgapp build --force' to build again "
            "(or point the 'current' link at another directory under versions/)."
        )
    missing = [name for name in (BUILD_INFO_FILE, STORE_DIR) if not (directory / name).exists()]
    if missing:
        raise DataDirError(
            f"the current version {directory} is incomplete (no {', '.join(missing)}). "
            "Run 'kgapp build --force' to build again."
        )


def complete_versions(data_dir: Path) -> list[Path]:
    """Complete version directories, oldest first."""
    root = versions_root(data_dir)
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and p.name.isdigit()]
    return sorted((p for p in found if (p / BUILD_INFO_FILE).exists()), key=lambda p: int(p.name))


def prune(data_dir: Path, keep: int, serving: Path, later: bool = False) -> list[Path]:
    """Remove all but the newest ``keep`` versions (never the one being served); the removed
    ones. Each is renamed away first, so a kill leaves it whole or gone; ``later``, its files
    are deleted in the background (a commit's answer need not wait for them)."""
    versions = complete_versions(data_dir)  # all in one folder: their names tell them apart
    keep_names = {p.name for p in versions[-max(keep, 1) :]} | {serving.name}
    removed = []
    for old in versions:
        if old.name not in keep_names:
            doomed = old.with_name(f"{TEMPORARY_PREFIX}pruned-{old.name}")
            old.rename(doomed)
            if later:
                _remove_in_the_background(doomed)
            else:
                shutil.rmtree(doomed, ignore_errors=True)
            removed.append(old)
    return removed


def _remove_in_the_background(doomed: Path) -> None:
    """Delete a directory no one can name any more (its files' unlinking is a commit's cost
    otherwise); one left by a process that ended first goes with the next version's leftovers."""
    threading.Thread(
        target=shutil.rmtree, args=(doomed,), kwargs={"ignore_errors": True}, name="kgapp-prune", daemon=True
    ).start()


def link_target(data_dir: Path) -> Path | None:
    """Where ``current`` points, whether or not that directory exists."""
    link = current_link(data_dir)
    if not link.is_symlink():
        return None
    return (data_dir / os.readlink(link)).resolve()
