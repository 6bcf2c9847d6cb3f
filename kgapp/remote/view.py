"""A build held by a remote store, read through the same interface as an embedded one.

The store holds, besides each named graph of the build under its own name, two hidden graphs —
the default graph (asserted and inferred triples, once each) and the asserted triples alone —
and the pointer graph, whose one triple carries the build's information. Which build is
current is read from the pointer, again at most every ``remote_poll_s`` seconds.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kgapp.dataset import GraphSelection
from kgapp.engine.answer import Limits
from kgapp.errors import KGError, NoBuild
from kgapp.formats import TSV
from kgapp.layout import BUILD_INFO_FILE, DUMPS_DIR, BuildInfo, version_dir
from kgapp.namespaces import Namespaces
from kgapp.remote import results
from kgapp.remote.client import StoreClient
from kgapp.remote.protocol import ask, form_body, prepare
from kgapp.remote.settings import RemoteSettings
from kgapp.remote.terms import Skolem
from kgapp.remote.wire import Deadline, StoreFailed
from kgapp.store import Bindings, KnowledgeStore, Result

UNBOUNDED = Limits(max_rows=10**9, max_bytes=1 << 40)
REMOTE_DUMPS_DIR = "remote-dumps"


class RemoteStore(KnowledgeStore):
    """One build in a remote store."""

    def __init__(
        self,
        remote: RemoteSettings,
        client: StoreClient,
        namespaces: Namespaces,
        info: BuildInfo,
        build_id: str,
    ) -> None:
        super().__init__(namespaces, info)
        self.remote = remote
        self.client = client
        self.build_id = build_id
        self.skolem = Skolem(namespaces.base)

    @property
    def build_key(self) -> str:
        return self.build_id

    @property
    def union_graph(self) -> str:
        return self.namespaces.default_graph

    # Queries ----------------------------------------------------------------------------------
    def _evaluate(
        self, sparql: str, selection: GraphSelection, bindings: Bindings, base_iri: str | None
    ) -> Result:
        """A page's or the command line's query: the whole answer, within ``remote_timeout_s``."""
        written = {name: self.skolem.written(value) for name, value in bindings.items()}
        deadline = Deadline(self.remote.timeout_s)
        prepared = prepare(
            sparql,
            self.namespaces.prefixes,
            selection,
            self.namespaces.empty_graph,
            base_iri,
            written,
            skolem_prefix=self.skolem.prefix,
            deadline=deadline,
        )
        found = ask(self.client, self.remote.query_url, prepared, deadline, self.skolem, UNBOUNDED)
        if found.boolean is not None:
            return found.boolean
        assert found.lines is not None
        if found.kind == "graph":
            return _as_query_triples(found.lines.body)
        solutions = ox.parse_query_results(found.lines.body, format=TSV.results)
        assert isinstance(solutions, ox.QuerySolutions)
        return solutions

    # Graphs -------------------------------------------------------------------------------------
    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        for name in [graph] if graph else self.graph_names():
            node = ox.NamedNode(name)
            for triple in self._graph_triples(name):
                yield ox.Quad(triple.subject, triple.predicate, triple.object, node)

    def union_triples(self, inferences: bool = True) -> Iterator[ox.Triple]:
        yield from self._graph_triples(self.union_graph if inferences else self.namespaces.asserted_graph)

    def _graph_triples(self, graph: str) -> Iterator[ox.Triple]:
        result = self._evaluate("CONSTRUCT WHERE { ?s ?p ?o }", GraphSelection((graph,), ()), {}, None)
        assert isinstance(result, ox.QueryTriples)
        yield from result

    # Dumps --------------------------------------------------------------------------------------
    def dumps_directory(self) -> Path:
        """The version's own dumps when it was made on this machine, else a directory here for
        dumps written from the store (:func:`kgapp.dumps.dump_path`), one per version."""
        number = self.info.version
        made_here = version_dir(self.remote.data_dir, number)
        if (made_here / BUILD_INFO_FILE).is_file() and BuildInfo.read(
            made_here
        ).version_id == self.info.version_id:
            return made_here / DUMPS_DIR
        return self.remote.data_dir / REMOTE_DUMPS_DIR / self.build_id / DUMPS_DIR


def _as_query_triples(lines: bytes) -> ox.QueryTriples:
    """N-Triples lines as the engine's own graph answer (what callers of ``query`` iterate)."""
    holder = ox.Store()
    holder.load(lines, format=ox.RdfFormat.N_TRIPLES)
    answer = holder.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(answer, ox.QueryTriples)
    return answer


class RemoteCurrent:
    """Keeps the app on the build the store's pointer names, read again every ``poll_s``."""

    def __init__(self, remote: RemoteSettings, namespaces: Namespaces) -> None:
        self.remote = remote
        self.namespaces = namespaces
        self.client = StoreClient(remote.credentials)
        self._lock = threading.Lock()
        self._store: RemoteStore | None = None
        self._checked_at = float("-inf")
        self._failure: tuple[float, KGError] | None = None  # the last read of the pointer that failed

    def get(self, fresh: bool = False) -> KnowledgeStore:
        store = self._store
        if store is not None and not fresh and time.monotonic() - self._checked_at < self.remote.poll_s:
            return store
        with self._lock:
            now = time.monotonic()
            if self._store is not None and not fresh and now - self._checked_at < self.remote.poll_s:
                return self._store
            if self._failure and not fresh and now - self._failure[0] < self.remote.poll_s:
                raise self._failure[1]  # a store that just failed is not asked again at once
            try:
                build_id, info = read_pointer(self.client, self.remote, self.namespaces)
            except KGError as exc:
                self._failure = (time.monotonic(), exc)
                raise
            self._failure = None
            if self._store is None or self._store.build_id != build_id:
                self._store = RemoteStore(self.remote, self.client, self.namespaces, info, build_id)
            self._checked_at = time.monotonic()
            return self._store

    def build_key(self) -> str:
        """The build being served, for caches: "" when it cannot be told now (nothing is then
        answered from a cache keyed on it)."""
        try:
            return self.get().build_key
        except KGError:  # no build, or the store is down: the request itself will say so
            return ""


def read_pointer(
    client: StoreClient, remote: RemoteSettings, namespaces: Namespaces
) -> tuple[str, BuildInfo]:
    """The id and information of the build the store's pointer names; NoBuild when none."""
    graph, predicate = namespaces.builds_graph, namespaces.current_build
    query = f"SELECT ?info WHERE {{ GRAPH <{graph}> {{ <{graph}> <{predicate}> ?info }} }}"
    response = client.request(
        "POST",
        remote.query_url,
        deadline=Deadline(remote.timeout_s),
        what="reading which build the store serves",
        body=form_body(query),
        content_type="application/x-www-form-urlencoded",
        accept=results.RESULTS_XML,
    )
    lines = results.solutions(response, Skolem(namespaces.base), UNBOUNDED)
    rows = list(ox.parse_query_results(lines.body, format=TSV.results))  # type: ignore[arg-type]
    if not rows:
        raise NoBuild(
            "the store holds no build: run 'kgapp build' with store_backend = remote",
            private=remote.query_url,
        )
    value = rows[0]["info"]
    try:
        record = json.loads(value.value)
        return record["build_id"], BuildInfo.from_record(record["info"])
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreFailed("the store's build pointer cannot be read", private=str(exc)) from None
