"""``kgapp serve`` as a real process: a failed rebuild leaves the running server on the last
good build, and a successful one is picked up without a restart."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import LiveServer, start_server, stop_server

pytestmark = pytest.mark.server
BROKEN = Path(__file__).parent / "cases" / "broken"
COUNT_STATEMENTS = "SELECT (COUNT(*) AS ?n) WHERE { ?s a hkus:Statement }"


@pytest.fixture()
def server(mini_project: Path, tmp_path: Path) -> Iterator[LiveServer]:
    assert kgapp_build(mini_project).returncode == 0
    running = start_server(mini_project / "var", tmp_path / "server.log", project_root=mini_project)
    yield running
    stop_server(running)


def kgapp_build(mini_project: Path) -> subprocess.CompletedProcess[str]:
    env = {"KGAPP_PROJECT_ROOT": str(mini_project), "KGAPP_DATA_DIR": str(mini_project / "var")}
    return subprocess.run(
        [sys.executable, "-m", "kgapp.cli", "build"], capture_output=True, text=True, env=env, timeout=120
    )


def statement_count(server: LiveServer) -> int:
    response = requests.get(
        server.url + "/sparql",
        params={"query": COUNT_STATEMENTS},
        headers={"Accept": "application/sparql-results+json"},
        timeout=10,
    )
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_failed_build_keeps_the_previous_build_serving(server: LiveServer, mini_project: Path) -> None:
    before = requests.get(server.url + "/health", timeout=5).json()["build"]["inputHash"]
    shutil.copy(BROKEN / "wrong-class" / "doc2.ttl", mini_project / "graph" / "sources" / "doc2.ttl")

    failed = kgapp_build(mini_project)

    assert failed.returncode == 1 and "hkus:speaker" in failed.stderr
    health = requests.get(server.url + "/health", timeout=5).json()
    assert health["build"]["inputHash"] == before and health["validation"]["conforms"]
    assert statement_count(server) == 1


def test_successful_rebuild_is_served_without_restart(server: LiveServer, mini_project: Path) -> None:
    extra = mini_project / "graph" / "sources" / "doc2.ttl"
    extra.write_text(
        (mini_project / "graph" / "sources" / "doc1.ttl")
        .read_text()
        .replace("doc1", "doc2")
        .replace("statement-1", "statement-2")
    )
    assert kgapp_build(mini_project).returncode == 0
    assert statement_count(server) == 2


def test_serve_refuses_to_start_without_any_build(tmp_path: Path, mini_project: Path) -> None:
    env = {"KGAPP_PROJECT_ROOT": str(mini_project), "KGAPP_DATA_DIR": str(tmp_path / "empty")}
    result = subprocess.run(
        [sys.executable, "-m", "kgapp.cli", "serve", "--no-build", "--port", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2 and "kgapp build" in result.stderr
