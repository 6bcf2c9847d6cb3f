"""The serving store: one pyoxigraph database per build, switched atomically.

Layout under the data directory::

    builds/<input-hash>/store/        pyoxigraph (RocksDB) files, written once, then only read
    builds/<input-hash>/build.json    what went in and what came out (:class:`BuildInfo`)
    current -> builds/<input-hash>    symlink, replaced atomically when a build succeeds

A build never writes into a directory that is being served, so a failed build leaves the
previous one answering queries.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgapp.errors import NoBuild
from kgapp.namespaces import Namespaces

BUILD_INFO_FILE = "build.json"
STORE_DIR = "store"
CURRENT_LINK = "current"
BUILDS_DIR = "builds"


@dataclass
class BuildInfo:
    """What a build read, what it produced and whether the data conformed."""

    input_hash: str
    built_at: str
    base_iri: str
    input_files: list[str]
    graphs: dict[str, int]
    asserted_triples: int
    inferred_triples: int
    conforms: bool
    violations: int = 0
    warnings: int = 0
    dropped_inferences: dict[str, int] = field(default_factory=dict)
    timings_s: dict[str, float] = field(default_factory=dict)
    backends: dict[str, str] = field(default_factory=dict)  # stage → engine that ran it
    incremental: bool = False  # brought up to date from the previous build's state

    def write(self, directory: Path) -> None:
        text = json.dumps(asdict(self), indent=2, sort_keys=True)
        (directory / BUILD_INFO_FILE).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def read(cls, directory: Path) -> BuildInfo:
        data = json.loads((directory / BUILD_INFO_FILE).read_text(encoding="utf-8"))
        return cls(**data)


def builds_root(data_dir: Path) -> Path:
    return data_dir / BUILDS_DIR


def current_link(data_dir: Path) -> Path:
    return data_dir / CURRENT_LINK


def current_build_dir(data_dir: Path) -> Path | None:
    """The build being served, or None when nothing has been built yet."""
    link = current_link(data_dir)
    if not link.is_symlink() and not link.exists():
        return None
    target = link.resolve()
    if not (target / BUILD_INFO_FILE).exists():
        return None
    return target


def switch_current(data_dir: Path, build_dir: Path) -> None:
    """Point ``current`` at ``build_dir`` in one atomic rename."""
    link = current_link(data_dir)
    temporary = data_dir / f".{CURRENT_LINK}.{os.getpid()}.tmp"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(os.path.relpath(build_dir, data_dir))
    os.replace(temporary, link)


def materialize_default_graph(store: ox.Store, graphs: Iterable[str]) -> None:
    """Copy the triples of ``graphs`` into the store's default graph, once each.

    SPARQL's default graph is the RDF merge of its graphs, a set; pyoxigraph evaluating over a
    list of graphs repeats a triple once per graph that states it (the same fact from several
    sources), and is slower. The store is a set of quads, so adding a triple twice is a no-op.
    """
    union = {
        (q.subject, q.predicate, q.object)
        for graph in graphs
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    }
    store.bulk_extend(ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in union)


def default_graph_quads(quads: list[ox.Quad], default_graph_sources: Iterable[str]) -> list[ox.Quad]:
    """The quads of the materialized default graph (see :func:`materialize_default_graph`)."""
    sources = {ox.NamedNode(g) for g in default_graph_sources}
    union = {(q.subject, q.predicate, q.object) for q in quads if q.graph_name in sources}
    return [ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in union]


def write_store(store_dir: Path, quads: Iterable[ox.Quad], default_graph_sources: Iterable[str]) -> None:
    """Create a new on-disk store holding ``quads``, its default graph the set-union of
    ``default_graph_sources`` (see :func:`materialize_default_graph`), in one bulk load."""
    quads = list(quads)
    store = ox.Store(str(store_dir))
    store.bulk_extend(quads + default_graph_quads(quads, default_graph_sources))
    store.flush()
    store.optimize()
    del store


class KnowledgeStore:
    """A read-only view of one build: the store, its graphs and its build information."""

    def __init__(self, build_dir: Path, namespaces: Namespaces) -> None:
        self.build_dir = build_dir
        self.namespaces = namespaces
        self.info = BuildInfo.read(build_dir)
        self.store = ox.Store.read_only(str(build_dir / STORE_DIR))

    @classmethod
    def open_current(cls, data_dir: Path, namespaces: Namespaces) -> KnowledgeStore:
        build_dir = current_build_dir(data_dir)
        if build_dir is None:
            raise NoBuild(f"no build in {data_dir}: run 'kgapp build' first")
        return cls(build_dir, namespaces)

    # Graphs -------------------------------------------------------------------------------
    def graph_names(self) -> list[str]:
        """The named graphs of the build (the materialized default graph is not one of them)."""
        return sorted(self.info.graphs)

    def default_graphs(self, inferences: bool = True) -> list[ox.NamedNode | ox.DefaultGraph]:
        """What queries see as their default graph: the store's default graph, which holds
        every asserted triple but the shapes once each, plus the inferred graph when
        ``inferences`` is true (disjoint from the asserted triples by construction)."""
        graphs: list[ox.NamedNode | ox.DefaultGraph] = [ox.DefaultGraph()]
        if inferences:
            graphs.append(ox.NamedNode(self.namespaces.inferred_graph))
        return graphs

    def union_triples(self, inferences: bool = True) -> Iterator[ox.Triple]:
        """The default graph's triples, each once."""
        for graph in self.default_graphs(inferences):
            for quad in self.store.quads_for_pattern(None, None, None, graph):
                yield ox.Triple(quad.subject, quad.predicate, quad.object)

    # Queries ------------------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        *,
        inferences: bool = True,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        bindings: dict[str, ox.NamedNode | ox.Literal | ox.BlankNode] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a query with the project's prefixes predeclared.

        ``default_graph``/``named_graphs`` restrict the dataset as SPARQL protocol's
        ``default-graph-uri``/``named-graph-uri`` do; otherwise the default graph is the union
        of :meth:`default_graphs` and every graph is available to ``GRAPH``.
        """
        defaults: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = (
            [ox.NamedNode(g) for g in default_graph]
            if default_graph is not None
            else list(self.default_graphs(inferences))
        )
        named: list[ox.NamedNode | ox.BlankNode] | None = (
            [ox.NamedNode(g) for g in named_graphs] if named_graphs is not None else None
        )
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): v for k, v in (bindings or {}).items()
        }
        return self.store.query(
            sparql,
            prefixes=self.namespaces.prefixes,
            default_graph=defaults,
            named_graphs=named,
            substitutions=substitutions or None,
        )

    def select(self, sparql: str, **kwargs: Any) -> list[dict[str, Any]]:
        """A SELECT as a list of rows, each a dict of variable name → term (unbound left out)."""
        solutions = self.query(sparql, **kwargs)
        if not isinstance(solutions, ox.QuerySolutions):
            raise TypeError("select() needs a SELECT query")
        names = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            rows.append({n: solution[n] for n in names if solution[n] is not None})
        return rows

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """The quads of one named graph, or of every named graph (never the materialized
        default graph, which only repeats them)."""
        for name in [graph] if graph else self.graph_names():
            yield from self.store.quads_for_pattern(None, None, None, ox.NamedNode(name))

    def __len__(self) -> int:
        """Quads in the named graphs."""
        return sum(self.info.graphs.values())


class CurrentStore:
    """Keeps the app on the build that ``current`` points to, reopening after a rebuild."""

    def __init__(self, data_dir: Path, namespaces: Namespaces) -> None:
        self.data_dir = data_dir
        self.namespaces = namespaces
        self._lock = threading.Lock()
        self._store: KnowledgeStore | None = None

    def get(self) -> KnowledgeStore:
        build_dir = current_build_dir(self.data_dir)
        if build_dir is None:
            raise NoBuild(f"no build in {self.data_dir}: run 'kgapp build' first")
        store = self._store
        if store is not None and store.build_dir == build_dir:
            return store
        with self._lock:
            if self._store is None or self._store.build_dir != build_dir:
                self._store = KnowledgeStore(build_dir, self.namespaces)
            return self._store
