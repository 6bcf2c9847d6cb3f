"""A real Memento client (the Memento project's own, ``memento_client``) finds our TimeGates on
its own and is sent to the version in force at the time it asks for, on a live server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyoxigraph as ox
import pytest
from memento_client import MementoClient

from kgapp.build import build
from kgapp.commits.change import Change
from kgapp.commits.writer import Writer
from tests.conftest import FIXTURES, LiveServer, settings_for, start_server, stop_server

pytestmark = [pytest.mark.server]

STATEMENT = ox.NamedNode("https://w3id.org/hkus/id/statement-1")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
GRAPH = "https://w3id.org/hkus/graph/source/doc1"


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[LiveServer, dict[int, datetime]]]:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "mini", project)
    config = settings_for(project, project / "var")
    build(config)
    committed: dict[int, datetime] = {}
    with Writer(config) as writer:
        old = ox.Literal("Statement on exports", language="en")
        new = ox.Literal("Statement, revised", language="en")
        made = writer.commit(
            Change(
                removed={GRAPH: {ox.Triple(STATEMENT, LABEL, old)}},
                added={GRAPH: {ox.Triple(STATEMENT, LABEL, new)}},
            )
        )
        committed[made.info.version] = datetime.fromisoformat(made.info.built_at)
    server = start_server(project / "var", tmp_path / "server.log", project)
    yield server, committed
    stop_server(server)


def test_a_memento_client_finds_the_timegate_and_the_memento_in_force(
    served: tuple[LiveServer, dict[int, datetime]],
) -> None:
    server, committed = served
    ((version, at),) = committed.items()
    client = MementoClient(timegate_uri=server.url + "/timegate/", check_native_timegate=True)
    info = client.get_memento_info(
        server.url + "/id/statement-1", (at + timedelta(hours=1)).replace(tzinfo=None)
    )
    assert info["timegate_uri"].startswith(server.url + "/timegate/")
    closest = info["mementos"]["closest"]
    assert any(f"/v/{version}/id/statement-1" in uri for uri in closest["uri"])
    earlier = client.get_memento_info(server.url + "/id/statement-1", datetime(2000, 1, 1))
    assert any("/v/1/id/statement-1" in uri for uri in earlier["mementos"]["closest"]["uri"])
    assert datetime.now(UTC) > at.astimezone(UTC) - timedelta(minutes=1)
