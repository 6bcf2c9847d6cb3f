"""Whole-dataset dumps, gzip-compressed, written for each version when first asked for.

``versions/<n>/dumps/<file>`` (a remote store's under ``remote-dumps/<version>/``): a version's
dumps never change, so the first request for one writes it from the version's store — streamed,
whatever the size of the graph — and every later request is sent the file. A commit writes no
dump: nothing rewrites the whole graph on a one-triple change.
"""

from __future__ import annotations

import fcntl
import io
import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kgapp.errors import NotFound, Unavailable
from kgapp.formats import JSON_LD, N_QUADS, PREFIXED_SYNTAXES, TRIG, TURTLE, Format
from kgapp.store import KnowledgeStore

COMPRESS_LEVEL = 6  # zlib's default: within a few per cent of the smallest, several times faster than 9
GZIP_WBITS = 31  # a gzip member (header and trailer), not a bare zlib stream


@dataclass(frozen=True)
class Dump:
    format: Format
    union: bool  # True: the triples of the default graph and the inferred graph; False: every graph
    description: str

    @property
    def file_name(self) -> str:
        return f"{DUMP_STEM}.{self.format.suffix}.gz"

    @property
    def rdf_format(self) -> ox.RdfFormat:
        assert self.format.rdf is not None
        return self.format.rdf


DUMP_STEM = "hkus"
DUMPS = [
    Dump(TRIG, False, "every named graph, TriG"),
    Dump(N_QUADS, False, "every named graph, N-Quads"),
    Dump(JSON_LD, False, "every named graph, JSON-LD"),
    Dump(TURTLE, True, "the default graph (union), Turtle"),
]


def find(file_name: str) -> Dump:
    for dump in DUMPS:
        if dump.file_name == file_name:
            return dump
    raise NotFound(f"no dump named {file_name!r}; available: " + ", ".join(d.file_name for d in DUMPS))


def dump_path(store: KnowledgeStore, file_name: str) -> Path:
    """The dump file ``file_name`` of ``store``'s version, written now if it is not yet (404 when
    there is no such dump; 503 when it cannot be written now)."""
    dump = find(file_name)
    path = store.dumps_directory() / dump.file_name
    if path.is_file():
        return path
    try:
        _write_once(store, dump, path)
    except OSError as exc:
        raise Unavailable(f"the dump {file_name} cannot be written now ({exc.strerror or exc})") from None
    return path


def existing_dump(store: KnowledgeStore, file_name: str) -> Path | None:
    """The dump file when it has been written, without writing it."""
    path = store.dumps_directory() / find(file_name).file_name
    return path if path.is_file() else None


def _write_once(store: KnowledgeStore, dump: Dump, path: Path) -> None:
    """Write one dump, once across processes (the others wait for it), whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with (path.parent / f".{dump.file_name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.is_file():
            return
        temporary = path.parent / f".{dump.file_name}.{os.getpid()}.tmp"
        try:
            write_dump(store, dump, temporary)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)


def write_dump(store: KnowledgeStore, dump: Dump, target: Path) -> None:
    """Serialize the version into ``target``, straight into a gzip stream (zlib's own header: no
    name, no time, so a dump depends only on its content)."""
    items: Iterable[ox.Quad] | Iterable[ox.Triple] = store.union_triples() if dump.union else store.quads()
    usable_prefixes = store.namespaces.prefixes if dump.rdf_format in PREFIXED_SYNTAXES else None
    with (
        target.open("wb") as out,
        io.BufferedWriter(_Compressing(out), buffer_size=1 << 20) as stream,  # type: ignore[type-var]
    ):
        ox.serialize(items, stream, format=dump.rdf_format, prefixes=usable_prefixes)


class _Compressing(io.RawIOBase):
    """A gzip stream over a file; behind an ``io.BufferedWriter`` it is called once a megabyte."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, GZIP_WBITS)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.out.write(self.compressor.compress(data))
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self.out.write(self.compressor.flush())
        super().close()
