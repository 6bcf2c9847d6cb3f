"""The serving store: one read-only pyoxigraph database per version (where versions live is
:mod:`kgapp.layout`; the writer's side is :mod:`kgapp.commits`). A version's directory never
changes once ``current`` can name it, so a reader sees one version or the next, never a mix."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

import pyoxigraph as ox

from kgapp import deadline
from kgapp.dataset import (
    DEFAULT_DATASET,
    EVERY_GRAPH,
    DatasetRequest,
    GraphSelection,
    engine_arguments,
    select_graphs,
)
from kgapp.disagreements import Disagreement
from kgapp.errors import NoBuild
from kgapp.layout import DUMPS_DIR, STORE_DIR, BuildInfo, current_build_dir
from kgapp.namespaces import Namespaces
from kgapp.querytext import QueryText
from kgapp.sparqlsyntax import parse_query, write
from kgapp.sparqlsyntax.binding import tree_term, with_rows

T = TypeVar("T")

Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Bindings = dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]


class KnowledgeStore(ABC):
    """A read-only view of one build, wherever it is held — :class:`EmbeddedStore` here, a
    remote SPARQL store (:mod:`kgapp.remote.view`) — with the caches derived from it (born and
    dropped with the build)."""

    def __init__(self, namespaces: Namespaces, info: BuildInfo) -> None:
        self.namespaces = namespaces
        self.info = info
        self.path_prefix = ""  # what its pages' local links start with: /v/<n> for a past version
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
        deadline.check()
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
        return [{n: s[n] for n in names if s[n] is not None} for s in deadline.checked(solutions)]

    def select_about(self, sparql: str, **kwargs: Any) -> list[dict[str, Any]]:
        """``select`` for a page's query about one thing, whose ``GRAPH ?graph`` may match any
        graph the store holds: the rows of the hidden graphs are dropped. Naming the dataset's
        graphs instead would cost what their number does (thousands) for every ``GRAPH``."""
        hidden = {ox.NamedNode(g) for g in self.namespaces.hidden_graphs}
        rows = self.select(sparql, dataset=EVERY_GRAPH, **kwargs)
        return [row for row in rows if row.get("graph") not in hidden]

    def select_each(
        self, sparql: str, name: str, terms: Iterable[ox.NamedNode], **kwargs: Any
    ) -> list[dict[str, Any]]:
        """``select`` for many values of ``?name`` at once (a ``VALUES`` block written into the
        query): what a page reads of a thing's neighbours, in one query whose cost follows them."""
        found = list(dict.fromkeys(terms))
        if not found:
            return []
        tree = parse_query(sparql, self.namespaces.prefixes)
        return self.select(write(with_rows(tree, name, [tree_term(term) for term in found])), **kwargs)

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
            with deadline.lifted():  # kept for every later request: not cut at this one's deadline
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
        self._store: ox.Store | None = None
        self._opening = threading.Lock()

    @property
    def store(self) -> ox.Store:
        """The version's store, opened on first use: a web process that hands every query to a
        query process never opens it (each open is ~10 ms, and comes with every version)."""
        if self._store is None:
            with self._opening:
                if self._store is None:
                    self._store = ox.Store.read_only(str(self.build_dir / STORE_DIR))
        return self._store

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
