"""Shared fixtures: the real project built once per session, the Flask app on it, a live server.

**Lanes.** Every test is in the fast lane unless it is marked ``server`` (starts a kgapp server
process), ``store`` (starts a real remote SPARQL store), ``browser`` (drives Chromium) or
``slow``; ``make test-fast`` runs the fast lane. Asking for a fixture that starts one of them
puts a test in its lane (:data:`FIXTURE_LANES`), and starting one from a test outside the lane
fails (:mod:`tests.lanes`).

**Which backends a live test runs on.** Only a test whose outcome the store decides runs on
every backend (embedded, ``oxigraph serve``, Virtuoso): query answers in each format, what the
dataset holds, errors the query path reports, limits at the store, dumps written from the store.
It asks for ``each_store_server``. Content negotiation, headers, CORS, HTML and the browser are
decided by our own code, the same way for every backend: those tests ask for ``live_server``,
the embedded store.

**No leftovers.** Every process a test starts carries this run's mark in its environment; the
run fails if one is still alive at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from kgapp.app import create_app
from kgapp.build import build
from kgapp.commits.given import write_given_graphs
from kgapp.config import Settings, load_settings
from kgapp.store import EmbeddedStore, KnowledgeStore
from kgapp.web.state import EXTENSION_KEY
from tests import lanes
from tests.stores import StoreServer, free_port, oxigraph_server, publish, virtuoso_server

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A small project of our own for the linked-data pages: two sources that agree on one fact and
# disagree on a date, a quotation, a status change, and an entity whose literals hold markup.
LD_FIXTURE = Path(__file__).resolve().parent / "ld" / "fixture"
DATA_FOLDERS = ("ontology", "shapes", "graph")


# Lanes and leftovers -------------------------------------------------------------------------
RUN_VARIABLE = "KGAPP_TEST_RUN"
FIXTURE_LANES = {
    "live_server": {"server"},
    "each_store_server": {"server"},
    "server_on": {"server"},
    "w3c_server": {"server"},
    "w3c_write_server": {"server"},
    "limited_server": {"server"},
    "oxigraph_store": {"store", "server"},
    "virtuoso_store": {"store", "server"},
    "fresh_store": {"store"},
    "writable_on_store": {"store", "server"},
    "browser": {"browser"},
    "page": {"browser"},
}
REMOTE_BACKENDS = {"oxigraph", "virtuoso"}


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault(RUN_VARIABLE, uuid.uuid4().hex)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put each test in the lanes its fixtures and its backend parameters call for."""
    for item in items:
        found: set[str] = set()
        for name in getattr(item, "fixturenames", ()):
            found |= FIXTURE_LANES.get(name, set())
        callspec = getattr(item, "callspec", None)
        if callspec and REMOTE_BACKENDS & {v for v in callspec.params.values() if isinstance(v, str)}:
            found |= {"store", "server"}
        for lane in sorted(found - {mark.name for mark in item.iter_markers()}):
            item.add_marker(lane)
        lanes_of_item = {mark.name for mark in item.iter_markers()}
        for lane in ("store", "browser"):  # one worker runs each: a store or a browser starts once
            if lane in lanes_of_item:
                item.add_marker(pytest.mark.xdist_group(lane))
                break


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    lanes.running.clear()
    lanes.running.update(mark.name for mark in item.iter_markers() if mark.name in lanes.LANES)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if a process a test started is still alive (waiting a moment for the ones
    being stopped). With several workers, the controller checks once they have all finished."""
    if hasattr(session.config, "workerinput"):
        return
    deadline = time.monotonic() + 10
    while (left := leftover_processes()) and time.monotonic() < deadline:
        time.sleep(0.2)
    if left:
        listing = "\n".join(f"  {pid}: {command}" for pid, command in left)
        session.config.get_terminal_writer().line(
            f"\n{len(left)} process(es) started by tests are still running:\n{listing}", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def leftover_processes() -> list[tuple[int, str]]:
    """Live processes (not zombies) carrying this run's mark, other than this one."""
    mark = f"{RUN_VARIABLE}={os.environ[RUN_VARIABLE]}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if mark not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            if (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found.append((int(entry.name), command[:160]))
    return found


def app_for(request: pytest.FixtureRequest, settings: Settings) -> Flask:
    """The app on ``settings``, for tests; its query processes are stopped when the test or
    fixture that asked for it ends."""
    app = create_app(settings)
    app.config["TESTING"] = True
    request.addfinalizer(app.extensions[EXTENSION_KEY].engine.shutdown)
    return app


def settings_for(project_root: Path, data_dir: Path, **overrides: object) -> Settings:
    """Settings isolated from the environment: the given project and data directory only."""
    values = {"project_root": project_root, "data_dir": data_dir} | overrides
    return load_settings(overrides=values, environ={})


@pytest.fixture()
def mini_project(tmp_path: Path) -> Path:
    """A private copy of the small fixture project, to build, break and serve."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "mini", project)
    return project


@pytest.fixture(scope="session")
def built_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project, built once into a temporary data directory."""
    data_dir = tmp_path_factory.mktemp("kg-data")
    build(settings_for(PROJECT_ROOT, data_dir))
    return data_dir


@pytest.fixture(scope="session")
def built_settings(built_data_dir: Path) -> Settings:
    return settings_for(PROJECT_ROOT, built_data_dir)


@pytest.fixture(scope="session")
def built_store(built_settings: Settings) -> KnowledgeStore:
    return EmbeddedStore.open_current(built_settings.data_path, built_settings.namespaces)


@pytest.fixture(scope="session")
def app(request: pytest.FixtureRequest, built_data_dir: Path) -> Flask:
    """The app on the real project, shared by the session (its query processes start once); a
    test that changes an app makes its own with :func:`app_for`."""
    return app_for(request, settings_for(PROJECT_ROOT, built_data_dir))


@pytest.fixture(scope="session")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def ld_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("ld-data")
    build(settings_for(LD_FIXTURE, data_dir))
    return data_dir


@pytest.fixture(scope="session")
def ld_app(request: pytest.FixtureRequest, ld_data_dir: Path) -> Flask:
    return app_for(request, settings_for(LD_FIXTURE, ld_data_dir))


@pytest.fixture()
def ld_client(ld_app: Flask) -> FlaskClient:
    return ld_app.test_client()


W3C = Path(__file__).resolve().parent / "sparql" / "w3c"
W3C_GRAPH = "http://kasei.us/2009/09/sparql/data/{}.rdf"


def write_build(data_dir: Path, graphs: dict[str, Path]) -> Path:
    """A version holding each N-Triples file in the named graph given for it, made current."""
    settings = settings_for(data_dir.parent, data_dir)
    triples = {
        name: list(ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES)) for name, path in graphs.items()
    }
    return write_given_graphs(settings, triples, "the W3C protocol tests' data").directory


@pytest.fixture(scope="session")
def w3c_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("w3c-data")
    names = ("data1", "data2", "data3")
    write_build(data_dir, {W3C_GRAPH.format(n): W3C / f"{n}.nt" for n in names})
    return data_dir


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    backend: str = "embedded"  # or the remote store it serves from: "oxigraph", "virtuoso"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def start_server(
    data_dir: Path,
    log_path: Path,
    project_root: Path = PROJECT_ROOT,
    preexec: Callable[[], None] | None = None,
    **env_settings: str,
) -> LiveServer:
    """Run ``kgapp serve`` in its own process on a free port, and wait until it answers.
    ``preexec`` runs in the server's process before it starts (to restrict what it may do)."""
    lanes.check("server", "starting a kgapp server")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KGAPP_")}
    env |= {"KGAPP_PROJECT_ROOT": str(project_root), "KGAPP_DATA_DIR": str(data_dir)}
    env |= {f"KGAPP_{k.upper()}": v for k, v in env_settings.items()}
    command = [sys.executable, "-m", "kgapp.cli", "serve", "--no-build", "--port", str(port)]
    log = log_path.open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=preexec)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            if requests.get(url + "/health", timeout=5).status_code in {200, 503}:
                return LiveServer(url, process, log_path)
        except requests.RequestException:  # not listening yet, or its store is slow to answer
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server did not answer within 30 s:\n{log_path.read_text()}")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


W3C_WRITE_TOKEN = "w3c-suite-write-token"


@pytest.fixture(scope="session")
def w3c_write_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A live server on its own copy of the three graphs that takes writes (the sourcing rule
    off: the suite's graphs are no sources of ours)."""
    project = tmp_path_factory.mktemp("w3c-writable")
    data_dir = project / "var"
    write_build(data_dir, {W3C_GRAPH.format(n): W3C / f"{n}.nt" for n in ("data1", "data2", "data3")})
    server = start_server(
        data_dir,
        project / "server.log",
        project_root=project,
        write_tokens=f"suite:*:{W3C_WRITE_TOKEN}",
        require_sources="false",
    )
    yield server
    stop_server(server)


BACKENDS = ("embedded", "oxigraph", "virtuoso")


@pytest.fixture(scope="session")
def server_on(
    request: pytest.FixtureRequest, built_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], LiveServer]]:
    """``server_on(backend)``: a real ``kgapp serve`` process on the built project, started on
    first use and shared by the session — on the embedded store, or on a real remote store
    ("oxigraph", "virtuoso") the build is first written into."""
    servers: dict[str, LiveServer] = {}

    def start(backend: str) -> LiveServer:
        if backend not in servers:
            settings: dict[str, str] = {}
            if backend != "embedded":
                store: StoreServer = request.getfixturevalue(f"{backend}_store")
                written = publish(store, PROJECT_ROOT, built_data_dir)
                assert written.returncode == 0, written.stderr
                settings = store.reader_settings
            log = tmp_path_factory.mktemp(f"server-{backend}") / "server.log"
            servers[backend] = start_server(built_data_dir, log, **settings)
            servers[backend].backend = backend
        return servers[backend]

    yield start
    for server in servers.values():
        stop_server(server)


@pytest.fixture(scope="session")
def live_server(server_on: Callable[[str], LiveServer]) -> LiveServer:
    """The app served live on the embedded store: for what our own code decides the same way on
    every backend (negotiation, headers, CORS, HTML, the browser)."""
    return server_on("embedded")


@pytest.fixture(scope="session", params=BACKENDS)
def each_store_server(request: pytest.FixtureRequest, server_on: Callable[[str], LiveServer]) -> LiveServer:
    """The app served live on each backend in turn: for tests whose outcome the store decides."""
    return server_on(request.param)


def _session_store(make: Callable[[Path], StoreServer], name: str) -> Callable[..., Iterator[StoreServer]]:
    def fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreServer]:
        store = make(tmp_path_factory.mktemp(name))
        store.start()
        yield store
        store.stop()

    fixture.__doc__ = f"A real {name} store on a temporary database, for the session."
    return pytest.fixture(scope="session", name=f"{name}_store")(fixture)


oxigraph_store = _session_store(oxigraph_server, "oxigraph")
virtuoso_store = _session_store(virtuoso_server, "virtuoso")
