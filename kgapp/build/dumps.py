"""Whole-dataset dumps, gzip-compressed: a build stage, written into the build directory.

``builds/<build>/dumps/<file>``; a build's dumps never change, so they are born and pruned with
the build, and the web side only has to find them (:func:`dump_path`).
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgapp.errors import NotFound

DUMPS_DIR = "dumps"
COMPRESS_LEVEL = 6  # zlib's default: within a few per cent of the smallest, several times faster than 9


@dataclass(frozen=True)
class Dump:
    file_name: str
    rdf_format: ox.RdfFormat
    union: bool  # True: the triples of the default graph and the inferred graph; False: every graph
    description: str


DUMPS = [
    Dump("hkus.trig.gz", ox.RdfFormat.TRIG, False, "every named graph, TriG"),
    Dump("hkus.nq.gz", ox.RdfFormat.N_QUADS, False, "every named graph, N-Quads"),
    Dump("hkus.jsonld.gz", ox.RdfFormat.JSON_LD, False, "every named graph, JSON-LD"),
    Dump("hkus.ttl.gz", ox.RdfFormat.TURTLE, True, "the default graph (union), Turtle"),
]


def find(file_name: str) -> Dump:
    for dump in DUMPS:
        if dump.file_name == file_name:
            return dump
    raise NotFound(f"no dump named {file_name!r}; available: " + ", ".join(d.file_name for d in DUMPS))


def dump_path(build_dir: Path, file_name: str) -> Path:
    """The dump file ``file_name`` of the build in ``build_dir`` (404 when there is no such dump)."""
    dump = find(file_name)
    path = build_dir / DUMPS_DIR / dump.file_name
    if not path.is_file():
        raise NotFound(f"build {build_dir.name} has no dump {file_name}: rebuild with 'kgapp build --force'")
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


def write_dumps(
    build_dir: Path,
    named: list[ox.Quad],
    union: list[ox.Triple],
    prefixes: dict[str, str],
    advance: Callable[[int], None] = lambda _: None,
) -> None:
    """Write every dump from the build's quads (``named``: every named graph, ``union``: the
    default graph and the inferred graph; each grouped by graph and subject).

    The dumps are serialized in memory and compressed in one call: reading the quads back from
    the on-disk store, or streaming through ``gzip.GzipFile``, was several times slower."""
    target = build_dir / DUMPS_DIR
    target.mkdir()
    for dump in DUMPS:
        items: list[ox.Triple] | list[ox.Quad] = union if dump.union else named
        usable_prefixes = prefixes if dump.rdf_format != ox.RdfFormat.N_QUADS else None
        data = ox.serialize(items, format=dump.rdf_format, prefixes=usable_prefixes) or b""
        (target / dump.file_name).write_bytes(gzip.compress(data, compresslevel=COMPRESS_LEVEL, mtime=0))
        advance(1)
