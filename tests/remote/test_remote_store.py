"""The app on a real remote store: the same pages as on the embedded one, builds written so that
readers never see a mix and an unchanged build writes nothing, a store that is down or slow
answered 503/504 within the deadline, and the app back by itself when the store returns."""

from __future__ import annotations

import gzip
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from kgapp.dumps import dump_path
from kgapp.namespaces import Namespaces
from kgapp.store import EmbeddedStore
from tests.conftest import FIXTURES, LiveServer, start_server, stop_server
from tests.stores import StoreServer, oxigraph_server, publish, virtuoso_server
from tests.waiting import wait_until

pytestmark = [pytest.mark.server, pytest.mark.store]

REMOTES = ("oxigraph", "virtuoso")
PAGES = (
    "/",
    "/browse",
    "/browse.json",
    "/timeline",
    "/timeline.json",
    "/conflicts",
    "/conflicts.json",
    "/responses",
    "/sources",
    "/cite.json",
    "/index.json",
    "/search?q=extradition+agreement",
    "/search.json?q=license+exception",
    "/ontology",
)
VOLATILE = re.compile(rb"127\.0\.0\.1:\d+|\d+(\.\d+)? ms|took [^<\"]*")


def body(server: LiveServer, path: str) -> bytes:
    response = requests.get(server.url + path, timeout=60)
    assert response.status_code == 200, (server.backend, path, response.text[:500])
    return VOLATILE.sub(b"", response.content)


def entity_paths(server: LiveServer) -> list[str]:
    """Every page the browse page links to: each thing of each class."""
    html = requests.get(server.url + "/browse", timeout=60).text
    return sorted(set(re.findall(r'href="(/(?:id|source|ontology)/[^"#?]+)"', html)))


@pytest.mark.parametrize("remote", REMOTES)
def test_every_page_is_the_same_on_a_remote_store(
    server_on: Callable[[str], LiveServer], remote: str
) -> None:
    embedded, other = server_on("embedded"), server_on(remote)
    paths = [*PAGES, *entity_paths(embedded)]
    assert len(paths) > 100
    differ = [p for p in paths if body(embedded, p) != body(other, p)]
    assert not differ, f"{len(differ)} pages differ on {remote}, e.g. {differ[:5]}"


@pytest.mark.parametrize("remote", REMOTES)
def test_documents_hold_the_same_graph_on_a_remote_store(
    server_on: Callable[[str], LiveServer], remote: str
) -> None:
    embedded, other = server_on("embedded"), server_on(remote)
    for path in ("/ontology.ttl", "/id/hong-kong.ttl", "/.well-known/void"):
        graphs = [
            ox.Dataset(ox.parse(body(s, path), format=ox.RdfFormat.TURTLE, base_iri="http://h/"))
            for s in (embedded, other)
        ]
        for graph in graphs:
            graph.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        assert graphs[0] == graphs[1], path


@pytest.mark.parametrize("remote", REMOTES)
def test_blank_nodes_the_store_makes_come_back_as_blank_nodes(
    server_on: Callable[[str], LiveServer], remote: str
) -> None:
    """Virtuoso labels the blank nodes of a CONSTRUCT ``nodeID://b10000``, which RDF forbids."""
    query = "CONSTRUCT { [] rdfs:label ?l } WHERE { ?s a hkus:Law ; rdfs:label ?l } LIMIT 3"
    response = requests.get(
        server_on(remote).url + "/sparql",
        params={"query": query},
        headers={"Accept": "application/n-triples"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    triples = list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == 3
    assert all(isinstance(t.subject, ox.BlankNode) for t in triples)


# Writing builds ----------------------------------------------------------------------------------
@pytest.fixture(params=REMOTES)
def fresh_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreServer]:
    """A store of its own for one test, which it may write, stop and start."""
    make = oxigraph_server if request.param == "oxigraph" else virtuoso_server
    store = make(tmp_path / request.param)
    store.start()
    yield store
    store.stop()


def store_select(store: StoreServer, query: str, **parameters: str | list[str]) -> list[dict[str, str]]:
    response = requests.post(
        store.query_url,
        data={"query": query, **parameters},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    return [{name: cell["value"] for name, cell in row.items()} for row in rows]


def store_update(store: StoreServer, update: str) -> None:
    settings = store.settings
    auth: object = None
    if settings.get("remote_user"):
        auth = requests.auth.HTTPDigestAuth(settings["remote_user"], settings["remote_password"])
    response = requests.post(settings["remote_update_url"], data={"update": update}, auth=auth, timeout=30)  # type: ignore[arg-type]
    assert response.status_code in {200, 204}, response.text


def project_saying(root: Path, word: str) -> Path:
    """The small fixture project, its statement labelled ``word`` (one fact, in one source)."""
    if not root.exists():
        shutil.copytree(FIXTURES / "mini", root)
    source = root / "graph" / "sources" / "doc1.ttl"
    text = source.read_text(encoding="utf-8")
    labelled = re.sub(r'rdfs:label "[^"]*"@en', f'rdfs:label "{word}"@en', text, count=1)
    source.write_text(labelled, encoding="utf-8")
    return root


LABEL = "https://w3id.org/hkus/id/statement-1"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
LABELS = f"SELECT ?label WHERE {{ GRAPH ?g {{ <{LABEL}> <{RDFS_LABEL}> ?label }} }}"


def test_an_unchanged_build_writes_nothing(fresh_store: StoreServer, tmp_path: Path) -> None:
    project = project_saying(tmp_path / "project", "Statement on exports")
    first = publish(fresh_store, project, project / "var")
    assert first.returncode == 0, first.stderr
    sentinel = "https://w3id.org/hkus/graph/entities"
    store_update(fresh_store, f"INSERT DATA {{ GRAPH <{sentinel}> {{ <urn:sentinel> <urn:p> <urn:o> }} }}")
    second = publish(fresh_store, project, project / "var")
    assert second.returncode == 0, second.stderr
    assert "nothing written" in second.stderr
    rows = store_select(fresh_store, f"SELECT * WHERE {{ GRAPH <{sentinel}> {{ <urn:sentinel> ?p ?o }} }}")
    assert rows, "the second build rewrote a graph"


def test_readers_never_see_two_builds_at_once(fresh_store: StoreServer, tmp_path: Path) -> None:
    """The label moves from one build to the next in every graph that holds it (its source's
    graph, the default graph, the asserted graph); a reader asking all of them at once, while
    builds are written, always sees one build's label."""
    seen: list[set[str]] = []
    stop = threading.Event()

    def read() -> None:  # as the app reads: naming the build's graphs
        while not stop.is_set():
            seen.append(
                {row["label"] for row in store_select(fresh_store, LABELS, **{"named-graph-uri": graphs})}
            )

    project = tmp_path / "project"
    publish(fresh_store, project_saying(project, "first"), project / "var")
    graphs = [f"https://w3id.org/hkus/graph/{name}" for name in ("source/doc1", "default", "asserted")]
    reader = threading.Thread(target=read)
    reader.start()
    try:
        for word in ("second", "third", "fourth"):
            written = publish(fresh_store, project_saying(project, word), project / "var")
            assert written.returncode == 0, written.stderr
    finally:
        stop.set()
        reader.join()
    assert seen and all(len(labels) == 1 for labels in seen), [s for s in seen if len(s) != 1][:3]
    assert {"fourth"} == seen[-1] or store_select(fresh_store, LABELS)[0]["label"] == "fourth"


def test_a_commit_reaches_the_store_as_one_delta_and_the_store_then_holds_the_version(
    fresh_store: StoreServer, tmp_path: Path
) -> None:
    project = project_saying(tmp_path / "project", "first")
    assert publish(fresh_store, project, project / "var").returncode == 0
    sentinel = "https://w3id.org/hkus/graph/entities"
    store_update(fresh_store, f"INSERT DATA {{ GRAPH <{sentinel}> {{ <urn:sentinel> <urn:p> <urn:o> }} }}")

    written = publish(fresh_store, project_saying(project, "second"), project / "var")

    assert written.returncode == 0, written.stderr
    assert "1 commit(s) sent as deltas" in written.stderr
    assert store_select(fresh_store, f"SELECT * {{ GRAPH <{sentinel}> {{ <urn:sentinel> ?p ?o }} }}"), (
        "the commit rewrote a graph instead of sending its delta"
    )
    assert {row["label"] for row in store_select(fresh_store, LABELS)} == {"second"}
    local = EmbeddedStore.open_current(project / "var", Namespaces())
    counts = "SELECT ?g (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{}>) }} GROUP BY ?g"
    remote = {r["g"]: int(r["n"]) for r in store_select(fresh_store, counts.format(sentinel))}
    for graph in [*local.graph_names(), Namespaces().asserted_graph]:
        if graph == sentinel:
            continue
        held = sum(1 for _ in local.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        assert remote.get(graph, 0) == held, graph
    default = sum(1 for _ in local.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert remote[Namespaces().default_graph] == default


def test_a_build_drops_the_graphs_of_sources_it_no_longer_has(
    fresh_store: StoreServer, tmp_path: Path
) -> None:
    project = project_saying(tmp_path / "project", "first")
    extra = project / "graph" / "sources" / "doc2.ttl"
    extra.write_text(
        (project / "graph" / "sources" / "doc1.ttl").read_text(encoding="utf-8").replace("doc1", "doc2"),
        encoding="utf-8",
    )
    assert publish(fresh_store, project, project / "var").returncode == 0
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert any(r["g"].endswith("/source/doc2") for r in store_select(fresh_store, graphs))
    extra.unlink()
    assert publish(fresh_store, project, project / "var").returncode == 0
    names = {r["g"] for r in store_select(fresh_store, graphs)}
    assert not any(n.endswith("/source/doc2") or "/staging/" in n for n in names), names


# A store that is down or slow --------------------------------------------------------------------
def holding_the_small_project(
    store: StoreServer, tmp_path: Path, request: pytest.FixtureRequest
) -> tuple[StoreServer, Path]:
    """``store`` running with the small project's build written into it, and stopped when the
    test ends, however it ends; and the project's directory."""
    request.addfinalizer(store.stop)
    store.start()
    project = project_saying(tmp_path / "project", "Statement on exports")
    assert publish(store, project, project / "var").returncode == 0
    return store, project


def test_a_store_that_goes_down_is_a_503_and_the_app_comes_back_with_it(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    store, project = holding_the_small_project(oxigraph_server(tmp_path / "oxigraph"), tmp_path, request)
    settings = {
        **store.reader_settings,
        "remote_timeout_s": "2",
        "remote_poll_s": "0.2",
        "query_timeout_s": "2",
    }
    server = start_server(project / "var", tmp_path / "server.log", project_root=project, **settings)
    request.addfinalizer(lambda: stop_server(server))
    assert requests.get(server.url + "/id/statement-1", timeout=10).status_code == 200
    store.stop()
    for path in ("/id/statement-1", "/sparql?query=ASK%7B%7D", "/health"):
        started = time.monotonic()
        response = requests.get(server.url + path, timeout=10)
        assert response.status_code == 503, (path, response.status_code, response.text[:300])
        assert time.monotonic() - started < 3, path
    health = requests.get(server.url + "/health", timeout=10).json()
    assert health["backend"]["kind"] == "remote" and health["backend"]["answers"] is False
    store.start()
    wait_until(lambda: requests.get(server.url + "/id/statement-1", timeout=10).status_code == 200)
    assert requests.get(server.url + "/health", timeout=10).json()["backend"]["answers"] is True


class SilentStore:
    """A store that accepts connections and never answers (a hung server, a black-holed proxy)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self) -> None:
        self.socket.close()
        for connection in self.held:
            connection.close()


def test_a_store_that_does_not_answer_is_a_504_at_the_deadline(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    store, project = holding_the_small_project(oxigraph_server(tmp_path / "oxigraph"), tmp_path, request)
    silent = SilentStore()
    request.addfinalizer(silent.close)
    settings = {
        **store.reader_settings,
        "remote_query_url": f"http://127.0.0.1:{silent.port}/query",
        "remote_timeout_s": "1",
        "query_timeout_s": "1",
    }
    server = start_server(project / "var", tmp_path / "server.log", project_root=project, **settings)
    request.addfinalizer(lambda: stop_server(server))
    for path in ("/id/statement-1", "/sparql?query=ASK%7B%7D"):
        started = time.monotonic()
        response = requests.get(server.url + path, timeout=10)
        elapsed = time.monotonic() - started
        assert response.status_code == 504, (path, response.status_code, response.text[:300])
        assert elapsed < 2.5, (path, elapsed)
    assert requests.get(server.url + "/health", timeout=10).status_code == 503


def test_a_store_that_cuts_rows_itself_is_reported_as_truncated(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Virtuoso stops at its ResultSetMaxRows and says so only in a header: the answer must not
    pass for complete."""
    store, project = holding_the_small_project(
        virtuoso_server(tmp_path / "virtuoso", max_rows=5), tmp_path, request
    )
    server = start_server(
        project / "var", tmp_path / "server.log", project_root=project, **store.reader_settings
    )
    request.addfinalizer(lambda: stop_server(server))
    response = requests.get(
        server.url + "/sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["results"]["bindings"]) == 5
    assert response.headers.get("X-SPARQL-Truncated") == "true"


def test_an_app_without_the_build_on_its_machine_writes_the_dumps_from_the_store(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Many app servers in front of one store: the one that did not build still serves dumps,
    written once from the store, holding the same quads."""
    store, project = holding_the_small_project(oxigraph_server(tmp_path / "oxigraph"), tmp_path, request)
    elsewhere = tmp_path / "another-server"
    server = start_server(elsewhere, tmp_path / "server.log", project_root=project, **store.reader_settings)
    request.addfinalizer(lambda: stop_server(server))
    built_here = dump_path(EmbeddedStore.open_current(project / "var", Namespaces()), "hkus.nq.gz")
    response = requests.get(server.url + "/dumps/hkus.nq.gz", timeout=60)
    assert response.status_code == 200, response.text[:300]
    written, built = (
        ox.Dataset(ox.parse(gzip.decompress(body), format=ox.RdfFormat.N_QUADS))
        for body in (response.content, built_here.read_bytes())
    )
    for dataset in (written, built):
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert written == built
    assert (elsewhere / "remote-dumps").is_dir()
