"""A served graph changes under its readers: while 50 commits land, a reader hammering the endpoint
sees one version or the next, never a mix of two commits, and never goes back to an older one."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from kgapp.build import build
from kgapp.commits.change import Change
from kgapp.commits.writer import Writer
from tests.conftest import LiveServer, settings_for, start_server, stop_server

pytestmark = [pytest.mark.server, pytest.mark.slow]

STATEMENT = ox.NamedNode("https://w3id.org/hkus/id/statement-1")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SOURCE_GRAPH = "https://w3id.org/hkus/graph/source/doc1"
# The label as the default graph and the source's graph each hold it: a mix shows as two labels.
LABELS = f"""
SELECT ?label WHERE {{
  {{ <{STATEMENT.value}> <{LABEL.value}> ?label }}
  UNION {{ GRAPH <{SOURCE_GRAPH}> {{ <{STATEMENT.value}> <{LABEL.value}> ?label }} }}
}}"""
COMMITS = 50


@pytest.fixture()
def served_project(mini_project: Path, tmp_path: Path) -> Iterator[tuple[Path, LiveServer]]:
    build(settings_for(mini_project, mini_project / "var"))
    server = start_server(mini_project / "var", tmp_path / "server.log", mini_project)
    yield mini_project, server
    stop_server(server)


def labelled(number: int) -> ox.Triple:
    text = "Statement on exports" if number == 0 else f"Statement, revision {number}"
    return ox.Triple(STATEMENT, LABEL, ox.Literal(text, language="en"))


def revision_of(label: str) -> int:
    return 0 if label == "Statement on exports" else int(label.rsplit(" ", 1)[1])


def test_a_reader_during_fifty_commits_never_sees_two_versions_at_once(
    served_project: tuple[Path, LiveServer],
) -> None:
    project, server = served_project
    answers: list[set[str]] = []
    failures: list[str] = []
    stop = threading.Event()

    def read() -> None:
        session = requests.Session()
        while not stop.is_set():
            response = session.get(
                server.url + "/sparql",
                params={"query": LABELS},
                headers={"Accept": "application/sparql-results+json"},
                timeout=30,
            )
            if response.status_code != 200:
                failures.append(f"{response.status_code}: {response.text[:300]}")
                continue
            rows = response.json()["results"]["bindings"]
            answers.append({row["label"]["value"] for row in rows})

    reader = threading.Thread(target=read)
    reader.start()
    try:
        with Writer(settings_for(project, project / "var")) as writer:
            for number in range(1, COMMITS + 1):
                change = Change(
                    removed={SOURCE_GRAPH: {labelled(number - 1)}},
                    added={SOURCE_GRAPH: {labelled(number)}},
                    agent="test",
                    message=f"revision {number}",
                )
                assert writer.commit(change).changed
    finally:
        stop.set()
        reader.join()

    assert not failures, failures[:3]
    # it read while the commits landed: it saw several of the versions go by (a count of reads
    # would depend on how fast commits are, and they got faster)
    seen = {frozenset(answer) for answer in answers}
    assert len(seen) >= 5, "the reader did not read while the commits landed"
    mixed = [labels for labels in answers if len(labels) != 1]
    assert not mixed, mixed[:3]
    revisions = [revision_of(next(iter(labels))) for labels in answers]
    assert revisions == sorted(revisions), "a reader went back to an older version"
    assert len(set(revisions)) > 2, "the reader saw too few versions to tell"
    final = requests.get(server.url + "/sparql", params={"query": LABELS}, timeout=30)
    assert f"revision {COMMITS}" in final.text
