"""Live servers for the endpoint tests: the real project, the W3C protocol dataset, and the real
project with a short time limit and a small row cap."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgapp.namespaces import CANONICAL_BASE
from kgapp.store import STORE_DIR, BuildInfo, builds_root, switch_current, write_store
from tests.conftest import LiveServer, start_server, stop_server

W3C = Path(__file__).resolve().parent / "w3c"
W3C_GRAPH = "http://kasei.us/2009/09/sparql/data/{}.rdf"
SHORT_TIMEOUT_S = 2.0
SMALL_ROW_CAP = 50


def write_build(data_dir: Path, graphs: dict[str, Path]) -> Path:
    """A build holding each N-Triples file in the named graph given for it, made current."""
    digest = "w3c-protocol"
    build_dir = builds_root(data_dir) / digest
    build_dir.mkdir(parents=True)
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name))
        for name, path in graphs.items()
        for t in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES)
    ]
    write_store(build_dir / STORE_DIR, quads, default_graph_sources=list(graphs))
    counts = {name: sum(1 for q in quads if q.graph_name.value == name) for name in graphs}
    BuildInfo(
        input_hash=digest,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        base_iri=CANONICAL_BASE,
        input_files=[p.name for p in graphs.values()],
        graphs=counts,
        asserted_triples=len(quads),
        inferred_triples=0,
        conforms=True,
    ).write(build_dir)
    switch_current(data_dir, build_dir)
    return build_dir


@pytest.fixture(scope="session")
def w3c_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("w3c-data")
    names = ("data1", "data2", "data3")
    write_build(data_dir, {W3C_GRAPH.format(n): W3C / f"{n}.nt" for n in names})
    return data_dir


@pytest.fixture(scope="session")
def w3c_server(w3c_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A live server whose dataset is the W3C protocol tests' three graphs."""
    server = start_server(w3c_data_dir, tmp_path_factory.mktemp("w3c-server") / "server.log")
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def limited_server(built_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real project served with a short time limit and a small row cap."""
    server = start_server(
        built_data_dir,
        tmp_path_factory.mktemp("limited-server") / "server.log",
        query_timeout_s=str(SHORT_TIMEOUT_S),
        max_result_rows=str(SMALL_ROW_CAP),
        query_workers="2",
    )
    yield server
    stop_server(server)
