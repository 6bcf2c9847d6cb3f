"""Whole-dataset dumps for the web side: the build writes them into its directory
(:mod:`kgapp.build.dumps`); this finds them. A build's dumps never change, so the input hash is
the ETag and the build time the Last-Modified date."""

from __future__ import annotations

from pathlib import Path

from kgapp.build.dumps import DUMPS, Dump, dump_path, find
from kgapp.store import KnowledgeStore

__all__ = ["DUMPS", "Dump", "find", "path_for"]


def path_for(data_dir: Path, store: KnowledgeStore, dump: Dump) -> Path:
    """The dump file of the build ``store`` reads (``data_dir`` is no longer needed)."""
    return dump_path(store.build_dir, dump.file_name)
