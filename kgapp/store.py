"""The serving store: one read-only pyoxigraph database per version, switched atomically.

Layout under the data directory (the writer's side is :mod:`kgapp.commits`)::

    live/                       the writer's store; no reader ever opens it
    live.json                   which version live holds, and whether a commit was cut short in it
    versions/<n>/store/         version n's store: a checkpoint of live (hard links), only read
    versions/<n>/build.json     what went in, what came out, what the commit changed (:class:`BuildInfo`)
    versions/<n>/report.json    the validation results kept with the version (warnings)
    versions/<n>/files.json     the input files the version was made from, with their digests
    versions/<n>/change/        the quads the commit took out and put in (N-Quads)
    versions/<n>/dumps/         the dataset as files, written when first asked for (:mod:`kgapp.dumps`)
    inputs/<sha256>             each input file as committed, by content (what the next build diffs)
    history.sqlite              every version's record and changes, kept after the version is pruned
    current -> versions/<n>     symlink, replaced atomically when a commit completes

A version's directory never changes once ``current`` can name it (its dumps only appear), so a
failed commit leaves the previous version answering queries.
"""

from __future__ import annotations

import json
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar, cast

import pyoxigraph as ox

from kgapp.dataset import DEFAULT_DATASET, DatasetRequest, GraphSelection, engine_arguments, select_graphs
from kgapp.disagreements import Disagreement
from kgapp.errors import NoBuild
from kgapp.namespaces import Namespaces
from kgapp.querytext import QueryText

T = TypeVar("T")

BUILD_INFO_FILE = "build.json"
STORE_DIR = "store"
CURRENT_LINK = "current"
VERSIONS_DIR = "versions"
DUMPS_DIR = "dumps"


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
    disagreements: list[dict[str, Any]] = field(default_factory=list)  # Disagreement records
    version: int = 1  # the commit's number: monotone, never reused
    version_id: str = ""  # names the version wherever it is copied (a remote store's pointer)
    pipeline: str = ""  # digest of the code and libraries that made it (a change means a whole build)
    parent: int | None = None  # the version the commit was applied to (None: made from nothing)
    parent_id: str = ""  # that version's id
    kind: str = "build"  # "build" (whole, from the files), "commit" (a delta), "graphs" (given graphs)
    agent: str = ""  # who made the change
    message: str = ""  # why, in the committer's words
    change: dict[str, int] = field(default_factory=dict)  # "added"/"removed" quads of the named graphs

    def write(self, directory: Path) -> None:
        text = json.dumps(asdict(self), indent=2, sort_keys=True)
        (directory / BUILD_INFO_FILE).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def read(cls, directory: Path) -> BuildInfo:
        return cls.from_record(json.loads((directory / BUILD_INFO_FILE).read_text(encoding="utf-8")))

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> BuildInfo:
        """From its JSON form; keys this version does not know (a newer writer's) are left out."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in record.items() if k in known})


def versions_root(data_dir: Path) -> Path:
    return data_dir / VERSIONS_DIR


def version_dir(data_dir: Path, number: int) -> Path:
    return versions_root(data_dir) / str(number)


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


Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Bindings = dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]


class KnowledgeStore(ABC):
    """A read-only view of one build, wherever it is held — :class:`EmbeddedStore` here, a
    remote SPARQL store (:mod:`kgapp.remote.view`) — with the caches derived from it (born and
    dropped with the build)."""

    def __init__(self, namespaces: Namespaces, info: BuildInfo) -> None:
        self.namespaces = namespaces
        self.info = info
        self._memo: dict[Callable[..., Any], Any] = {}
        self._memo_lock = threading.Lock()
        self._computing: dict[Callable[..., Any], threading.Lock] = {}

    @property
    @abstractmethod
    def build_key(self) -> str:
        """Names this build among all builds (caches and query jobs key on it)."""

    # Graphs -------------------------------------------------------------------------------
    def graph_names(self) -> list[str]:
        """The named graphs of the build (the materialized default graph is not one of them)."""
        return sorted(self.info.graphs)

    @abstractmethod
    def union_triples(self, inferences: bool = True) -> Iterator[ox.Triple]:
        """The default graph's triples, each once; without the inferred ones if asked."""

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """The quads of one named graph, or of every named graph (never the materialized
        default graph, which only repeats them)."""

    @abstractmethod
    def dumps_directory(self) -> Path:
        """A local directory holding this build's dumps (:mod:`kgapp.dumps`)."""

    def __len__(self) -> int:
        """Quads in the named graphs."""
        return sum(self.info.graphs.values())

    # Queries ------------------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        *,
        dataset: DatasetRequest = DEFAULT_DATASET,
        bindings: Bindings | None = None,
        base_iri: str | None = None,
        text: QueryText | None = None,
    ) -> Result:
        """Run a query on the dataset the policy gives (see :mod:`kgapp.dataset`), with the
        project's prefixes predeclared and ``bindings`` substituted for variables; ``text``
        is what was read of the query already, if anything."""
        return self._evaluate(sparql, self.selection(dataset, text or sparql), bindings or {}, base_iri)

    def selection(self, dataset: DatasetRequest, sparql: str | QueryText) -> GraphSelection:
        """The graphs ``sparql`` runs on, by the dataset policy."""
        return select_graphs(
            dataset, sparql, self.graph_names(), self.namespaces.asserted_graph, self.union_graph
        )

    @property
    def union_graph(self) -> str | None:
        """The graph holding the default graph with inferences, when not the store's own."""
        return None

    @abstractmethod
    def _evaluate(
        self, sparql: str, selection: GraphSelection, bindings: Bindings, base_iri: str | None
    ) -> Result:
        """Run ``sparql`` on ``selection``, the prefixes predeclared, ``bindings`` bound."""

    def select(self, sparql: str, **kwargs: Any) -> list[dict[str, Any]]:
        """A SELECT as a list of rows, each a dict of variable name → term (unbound left out)."""
        solutions = self.query(sparql, **kwargs)
        if not isinstance(solutions, ox.QuerySolutions):
            raise TypeError("select() needs a SELECT query")
        names = [v.value for v in solutions.variables]
        return [{n: s[n] for n in names if s[n] is not None} for s in solutions]

    # Derived from the build ------------------------------------------------------------------
    def memo(self, compute: Callable[[KnowledgeStore], T]) -> T:
        """``compute(self)``, computed once for this build and kept until the build is replaced.
        Requests that ask while it is being computed wait for it rather than compute it again
        (on a large graph, eight threads building the search index at once is what a cold
        server's first burst of requests would otherwise do)."""
        with self._memo_lock:
            if compute in self._memo:
                return cast(T, self._memo[compute])
            computing = self._computing.setdefault(compute, threading.Lock())
        with computing:
            with self._memo_lock:
                if compute in self._memo:
                    return cast(T, self._memo[compute])
            value = compute(self)
            with self._memo_lock:
                self._computing.pop(compute, None)
                return cast(T, self._memo.setdefault(compute, value))

    @property
    def disagreements(self) -> list[Disagreement]:
        """Where sources disagree, as the build computed it."""
        return self.memo(_read_disagreements)


class EmbeddedStore(KnowledgeStore):
    """A build held in this machine's data directory, opened read-only with pyoxigraph."""

    def __init__(self, build_dir: Path, namespaces: Namespaces) -> None:
        super().__init__(namespaces, BuildInfo.read(build_dir))
        self.build_dir = build_dir
        self.store = ox.Store.read_only(str(build_dir / STORE_DIR))

    @classmethod
    def open_current(cls, data_dir: Path, namespaces: Namespaces) -> EmbeddedStore:
        build_dir = current_build_dir(data_dir)
        if build_dir is None:
            raise NoBuild(f"no build in {data_dir}: run 'kgapp build' first")
        return cls(build_dir, namespaces)

    @property
    def build_key(self) -> str:
        return str(self.build_dir)

    def union_triples(self, inferences: bool = True) -> Iterator[ox.Triple]:
        graph = ox.DefaultGraph() if inferences else ox.NamedNode(self.namespaces.asserted_graph)
        for quad in self.store.quads_for_pattern(None, None, None, graph):
            yield ox.Triple(quad.subject, quad.predicate, quad.object)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        for name in [graph] if graph else self.graph_names():
            yield from self.store.quads_for_pattern(None, None, None, ox.NamedNode(name))

    def dumps_directory(self) -> Path:
        return self.build_dir / DUMPS_DIR

    def _evaluate(
        self, sparql: str, selection: GraphSelection, bindings: Bindings, base_iri: str | None
    ) -> Result:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): v for k, v in bindings.items()
        }
        return self.store.query(
            sparql,
            base_iri=base_iri,
            prefixes=self.namespaces.prefixes,
            substitutions=substitutions or None,
            **engine_arguments(selection),
        )


def _read_disagreements(store: KnowledgeStore) -> list[Disagreement]:
    return [Disagreement.from_record(r) for r in store.info.disagreements]
