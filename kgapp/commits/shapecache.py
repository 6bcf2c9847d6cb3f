"""Compiled shapes kept between writers in one process: a write over HTTP opens a writer of its
own, and compiling the shapes (about 140 ms on the real graph) would otherwise be most of it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kgapp.commits.check import ShapeContext
from kgapp.commits.filerecords import FileRecord
from kgapp.layout import BuildInfo
from kgapp.namespaces import Namespaces


class ShapeContexts:
    """Compiled shapes kept between writers in one process, by what the shapes and ontology are."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[object, ...], ShapeContext] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...], make: Callable[[], ShapeContext]) -> ShapeContext:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        made = make()
        with self._lock:
            self._kept[key] = made
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return made


shape_contexts = ShapeContexts()


def shapes_key(
    data_dir: Path, namespaces: Namespaces, info: BuildInfo | None, files: dict[str, FileRecord]
) -> tuple[object, ...]:
    """What the shapes and the ontology of a version are: their files' digests, their graphs' sizes."""
    digests = tuple(sorted((n, r.digest) for n, r in files.items() if r.kind in ("ontology", "shapes")))
    sizes = (
        (info.graphs.get(namespaces.ontology_graph), info.graphs.get(namespaces.shapes_graph)) if info else ()
    )
    return (str(data_dir), namespaces.base, digests, sizes)


def shared_context(store: ox.Store, namespaces: Namespaces, key: tuple[object, ...]) -> ShapeContext:
    return shape_contexts.get(key, lambda: ShapeContext.of_store(store, namespaces))
