"""Whole-dataset dumps, gzip-compressed: a build stage, written into the build directory.

``builds/<build>/dumps/<file>``; a build's dumps never change, so they are born and pruned with
the build, and the web side only has to find them (:func:`dump_path`).
"""

from __future__ import annotations

import io
import os
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kgapp.errors import NotFound
from kgapp.formats import JSON_LD, N_QUADS, PREFIXED_SYNTAXES, TRIG, TURTLE, Format
from kgapp.store import DUMPS_DIR, KnowledgeStore

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
    """The dump file ``file_name`` of ``store``'s build (404 when there is no such dump)."""
    dump = find(file_name)
    path = store.dumps_directory() / dump.file_name
    if not path.is_file():
        raise NotFound(f"build {store.build_key} has no dump {file_name}: rebuild with 'kgapp build --force'")
    return path


def by_graph_and_subject(graphs: Mapping[str, Iterable[ox.Triple]]) -> list[ox.Quad]:
    """Quads in the order the serializers group well (one block per graph and per subject)."""
    quads: list[ox.Quad] = []
    for graph in sorted(graphs):
        name = ox.NamedNode(graph)
        by_subject: dict[object, list[ox.Triple]] = {}
        for triple in graphs[graph]:
            by_subject.setdefault(triple.subject, []).append(triple)
        for triples in by_subject.values():
            quads.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
    return quads


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


def write_dumps(
    build_dir: Path,
    named: Callable[[], Iterable[ox.Quad]],
    union: Callable[[], Iterable[ox.Triple]],
    prefixes: dict[str, str],
    advance: Callable[[int], None] = lambda _: None,
    parallel: bool = True,
) -> None:
    """Write every dump: ``named`` gives every quad of the named graphs, ``union`` the triples of
    the default graph and the inferred graph, each grouped by graph and subject. Each dump is
    serialized straight into a gzip stream (zlib's own header: no name, no time, so a dump
    depends only on its content). Where the system can fork, a child process writes half of
    them on the other core (serializing holds the GIL, so threads would not help); not from a
    process with threads of its own (``parallel=False``), where a fork copies held locks."""
    target = build_dir / DUMPS_DIR
    target.mkdir()
    named()  # made once, before a fork, so that both processes share it
    ours, theirs = DUMPS[1::2], DUMPS[0::2]
    child = (
        _fork_writing(target, theirs, named, union, prefixes) if parallel and hasattr(os, "fork") else None
    )
    for dump in ours if child is not None else DUMPS:
        _write_one(target, dump, named, union, prefixes)
        advance(1)
    if child is not None:
        _wait(*child)
        advance(len(theirs))


def _write_one(
    target: Path,
    dump: Dump,
    named: Callable[[], Iterable[ox.Quad]],
    union: Callable[[], Iterable[ox.Triple]],
    prefixes: dict[str, str],
) -> None:
    items = union() if dump.union else named()
    usable_prefixes = prefixes if dump.rdf_format in PREFIXED_SYNTAXES else None
    with (
        (target / dump.file_name).open("wb") as out,
        io.BufferedWriter(_Compressing(out), buffer_size=1 << 20) as stream,  # type: ignore[type-var]
    ):
        ox.serialize(items, stream, format=dump.rdf_format, prefixes=usable_prefixes)


def _fork_writing(
    target: Path,
    dumps: list[Dump],
    named: Callable[[], Iterable[ox.Quad]],
    union: Callable[[], Iterable[ox.Triple]],
    prefixes: dict[str, str],
) -> tuple[int, int]:
    """A child process writing ``dumps``; its pid and the pipe it reports an error on."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: write, report, and leave without running the parent's exit handlers
        os.close(read_end)
        code = 0
        try:
            for dump in dumps:
                _write_one(target, dump, named, union, prefixes)
        except BaseException as exc:
            os.write(write_end, f"{getattr(exc, 'errno', 0) or 0}\0{exc}".encode())
            code = 1
        os._exit(code)
    os.close(write_end)
    return pid, read_end


def _wait(pid: int, read_end: int) -> None:
    with os.fdopen(read_end, "rb") as pipe:
        report = pipe.read().decode(errors="replace")
    _, status = os.waitpid(pid, 0)
    if report or status:
        code, _, message = report.partition("\0")
        raise OSError(
            int(code or 0) or None, message or f"the process writing dumps ended with status {status}"
        )
