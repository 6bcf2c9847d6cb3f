"""`kgapp fold` moves the writes kept as patches into the RDF files, and the graph stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from kgapp.build import build
from kgapp.cli import main
from kgapp.config import Settings
from tests.conftest import app_for, settings_for
from tests.curate.conftest import ENTITIES, TOKENS, copy_project
from tests.curate.test_writes import SOURCE_GRAPH, insert_comment, served_quads, update

SOURCE_FILE = "graph/sources/us-ends-defense-exports-over-nsl.ttl"
NEW_GRAPH = "https://w3id.org/hkus/graph/source/a-folded-report"
NEW_SOURCE = f"""INSERT DATA {{ GRAPH <{NEW_GRAPH}> {{
    src:a-folded-report a hkus:SourceDocument , hkus:NewsReport ; rdfs:label "A folded report"@en ;
        hkus:title "A folded report"@en ; hkus:publisher id:thehill-com ;
        hkus:url <https://example.org/a-folded-report> ; hkus:published "2020-07-02"^^xsd:date ;
        hkus:publishedBasis "Printed on the page."@en ; hkus:blockCount 2 .
}} }}"""


@pytest.fixture()
def written(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Settings, FlaskClient]:
    project = copy_project(tmp_path / "project")
    settings = settings_for(project, project / "var", write_tokens=TOKENS)
    build(settings)
    return settings, app_for(request, settings).test_client()


def fold(settings: Settings, *options: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("KGAPP_PROJECT_ROOT", str(settings.project_root))
    monkeypatch.setenv("KGAPP_DATA_DIR", str(settings.data_path))
    return main(["fold", *options])


def patches(settings: Settings) -> list[Path]:
    return sorted((settings.project_root / "graph" / "patches").glob("*.rdfp"))


def cold_build(settings: Settings, tmp_path: Path) -> Settings:
    cold = settings_for(settings.project_root, tmp_path / "cold-var")
    build(cold)
    return cold


def test_additions_are_appended_below_the_hand_written_text_and_the_graph_stays_the_same(
    written: tuple[Settings, FlaskClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, client = written
    hand_written = (settings.project_root / SOURCE_FILE).read_text(encoding="utf-8")
    assert update(client, insert_comment(SOURCE_GRAPH, "Folded into the file")).status_code == 200
    assert update(client, NEW_SOURCE).status_code == 200
    live = served_quads(settings)

    assert fold(settings, monkeypatch=monkeypatch) == 0

    assert patches(settings) == []
    folded = (settings.project_root / SOURCE_FILE).read_text(encoding="utf-8")
    assert folded.startswith(hand_written)
    assert "# Folded from writes made over HTTP" in folded and "Folded into the file" in folded
    assert (settings.project_root / "graph/sources/a-folded-report.ttl").is_file()
    assert served_quads(cold_build(settings, tmp_path)) == live


def test_a_fold_that_would_write_a_file_again_is_refused_unless_asked_and_changes_nothing(
    written: tuple[Settings, FlaskClient],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings, client = written
    removal = (
        f"DELETE DATA {{ GRAPH <{SOURCE_GRAPH}> {{ id:event-us-defence-export-ban-announcement "
        "hkus:after id:event-us-visa-restrictions-announcement } }"
    )
    assert update(client, removal).status_code == 200
    assert update(client, insert_comment(ENTITIES, "A registry note")).status_code == 200
    files = {p: p.read_bytes() for p in (settings.project_root / "graph").rglob("*") if p.is_file()}
    live = served_quads(settings)

    assert fold(settings, monkeypatch=monkeypatch) == 1
    assert SOURCE_FILE in capsys.readouterr().err
    assert {p: p.read_bytes() for p in (settings.project_root / "graph").rglob("*") if p.is_file()} == files

    assert fold(settings, "--rewrite", "--dry-run", monkeypatch=monkeypatch) == 0
    assert f"would write {SOURCE_FILE} again" in capsys.readouterr().err
    assert len(patches(settings)) == 2

    assert fold(settings, "--rewrite", monkeypatch=monkeypatch) == 0
    assert patches(settings) == []
    assert served_quads(cold_build(settings, tmp_path)) == live


def test_with_no_patches_a_fold_says_so(
    written: tuple[Settings, FlaskClient], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings, _client = written
    assert fold(settings, monkeypatch=monkeypatch) == 0
    assert "no patch to fold" in capsys.readouterr().err


def test_a_write_to_a_graph_no_folder_feeds_is_refused(
    written: tuple[Settings, FlaskClient], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings, _client = written
    folder = settings.project_root / "graph" / "patches"
    folder.mkdir(exist_ok=True)
    (folder / "20260101T000000000000Z-x.rdfp").write_text(
        'H agent "x" .\nTX .\n'
        'A <http://example.org/s> <http://example.org/p> "o" <http://example.org/g> .\nTC .\n',
        encoding="utf-8",
    )
    assert fold(settings, monkeypatch=monkeypatch) == 1
    assert "<http://example.org/g>, which no project folder feeds" in capsys.readouterr().err
    assert len(patches(settings)) == 1
