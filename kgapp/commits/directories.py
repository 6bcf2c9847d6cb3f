"""Build directories: written under a temporary name, renamed when complete, pruned to the last N.

A build directory is complete when it holds ``build.json``, which is written last; the rename
makes it visible and the ``current`` switch makes it served. A process killed at any point
leaves at most a ``.tmp-*`` directory, which the next build removes.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from kgapp.errors import KGError
from kgapp.store import BUILD_INFO_FILE, STORE_DIR, builds_root, current_link

TEMPORARY_PREFIX = ".tmp-"


class DataDirError(KGError):
    """The data directory cannot be written (read-only, full disk) or holds a broken build."""

    title = "Data directory error"


LOCK_FILE = ".build.lock"


@contextmanager
def build_lock(data_dir: Path) -> Iterator[None]:
    """One build at a time per data directory (a second one would remove the first's files)."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        handle = (data_dir / LOCK_FILE).open("a+")
    except OSError as exc:
        raise writing_failed(exc, data_dir) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise DataDirError(
                f"another build is writing into {data_dir} ({holder}); wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_build_dir(data_dir: Path, digest: str) -> tuple[Path, Path]:
    """A fresh temporary directory to write a build into, and the name it gets when complete."""
    root = builds_root(data_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
        remove_leftovers(root)
        final = root / f"{digest}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%f')}"
        temporary = root / f"{TEMPORARY_PREFIX}{final.name}"
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
        f"cannot write the build into {data_dir}: {reason} ({exc.filename or data_dir}). "
        "Nothing was changed: the previous build keeps serving."
    )


def check_build_dir(build_dir: Path) -> None:
    """Fail with a way back when the build that ``current`` names is missing or incomplete."""
    if not build_dir.is_dir():
        raise DataDirError(
            f"the current build {build_dir} is missing. Run 'kgapp build --force' to build again "
            "(or point the 'current' link at another directory under builds/)."
        )
    missing = [name for name in (BUILD_INFO_FILE, STORE_DIR) if not (build_dir / name).exists()]
    if missing:
        raise DataDirError(
            f"the current build {build_dir} is incomplete (no {', '.join(missing)}). "
            "Run 'kgapp build --force' to build again."
        )


def complete_builds(data_dir: Path) -> list[Path]:
    """Complete build directories, oldest first (names end with the build time)."""
    root = builds_root(data_dir)
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(TEMPORARY_PREFIX)]
    return sorted((p for p in found if (p / BUILD_INFO_FILE).exists()), key=lambda p: p.name.split("-")[-1])


def prune(data_dir: Path, keep: int, serving: Path) -> list[Path]:
    """Remove all but the newest ``keep`` builds (never the one being served); the removed ones."""
    builds = complete_builds(data_dir)
    keep_set = {p.resolve() for p in builds[-max(keep, 1) :]} | {serving.resolve()}
    removed = []
    for old in builds:
        if old.resolve() not in keep_set:
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old)
    return removed


def link_target(data_dir: Path) -> Path | None:
    """Where ``current`` points, whether or not that directory exists."""
    link = current_link(data_dir)
    if not link.is_symlink():
        return None
    return (data_dir / os.readlink(link)).resolve()
