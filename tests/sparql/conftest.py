"""Live servers for the endpoint tests: the real project, the W3C protocol dataset, and the real
project with a short time limit and a small row cap."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import LiveServer, start_server, stop_server

SHORT_TIMEOUT_S = 2.0
SMALL_ROW_CAP = 50


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
        web_workers="1",  # one pool, so that /health tells what it is doing
    )
    yield server
    stop_server(server)
