"""Every input file as it was committed, kept by content (``inputs/<sha256>``): the next build
parses a changed file's previous text from here to find what the edit took out.

A copy is written before the commit that needs it and removed when no retained version names it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

INPUTS_DIR = "inputs"


def inputs_root(data_dir: Path) -> Path:
    return data_dir / INPUTS_DIR


def keep(data_dir: Path, digest: str, text: bytes) -> None:
    """Keep ``text`` as the file of ``digest`` (written whole or not at all)."""
    root = inputs_root(data_dir)
    target = root / digest
    if target.exists():
        return
    root.mkdir(parents=True, exist_ok=True)
    temporary = root / f".{digest}.{os.getpid()}.tmp"
    temporary.write_bytes(text)
    os.replace(temporary, target)


def read(data_dir: Path, digest: str) -> bytes | None:
    try:
        return (inputs_root(data_dir) / digest).read_bytes()
    except OSError:
        return None


def prune(data_dir: Path, referenced: Iterable[str]) -> None:
    """Remove the copies no retained version names."""
    root = inputs_root(data_dir)
    if not root.is_dir():
        return
    wanted = set(referenced)
    for path in root.iterdir():
        if path.name not in wanted:
            path.unlink(missing_ok=True)
