"""Whole-dataset dumps, gzip-compressed, written once per build next to the builds.

``dumps/<input-hash>/<file>`` under the data directory; a build's dumps never change, so the
input hash is the ETag and the build time the Last-Modified date.
"""

from __future__ import annotations

import gzip
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from kgapp.errors import NotFound
from kgapp.formats import JSON_LD, N_QUADS, TRIG, TURTLE, Format, serialize_graph
from kgapp.store import KnowledgeStore

DUMPS_DIR = "dumps"


@dataclass(frozen=True)
class Dump:
    format: Format
    union: bool  # True: the triples of the default graph; False: every graph as a dataset
    description: str

    @property
    def file_name(self) -> str:
        return f"{DUMP_STEM}.{self.format.suffix}.gz"


DUMP_STEM = "hkus"
DUMPS = [
    Dump(TRIG, False, "every named graph, TriG"),
    Dump(N_QUADS, False, "every named graph, N-Quads"),
    Dump(JSON_LD, False, "every named graph, JSON-LD"),
    Dump(TURTLE, True, "the default graph (union), Turtle"),
]
_lock = threading.Lock()


def find(file_name: str) -> Dump:
    for dump in DUMPS:
        if dump.file_name == file_name:
            return dump
    raise NotFound(f"no dump named {file_name!r}; available: " + ", ".join(d.file_name for d in DUMPS))


def path_for(data_dir: Path, store: KnowledgeStore, dump: Dump) -> Path:
    """The dump file for the current build, written on first request."""
    target = data_dir / DUMPS_DIR / store.info.input_hash / dump.file_name
    if target.exists():
        return target
    with _lock:
        if not target.exists():
            _write(target, store, dump)
    return target


def _write(target: Path, store: KnowledgeStore, dump: Dump) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if dump.union:
        items: list[ox.Triple] | list[ox.Quad] = sorted(store.union_triples(inferences=True), key=str)
    else:
        items = sorted(store.quads(), key=str)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with (
        temporary.open("wb") as raw,
        gzip.GzipFile(filename=target.name, mode="wb", fileobj=raw, mtime=0) as stream,
    ):
        body = serialize_graph(items, dump.format, store.namespaces.prefixes, with_graphs=not dump.union)
        cast("IO[bytes]", stream).write(body)
    os.replace(temporary, target)
