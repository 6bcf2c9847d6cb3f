"""kgapp generate: a project of our shape at the size asked, the same for the same seed, that
conforms to the shapes and has the real graph's kinds of facts and disagreements."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kgapp.build import build
from kgapp.generate import generate
from kgapp.loader import load_project
from kgapp.namespaces import Namespaces
from tests.conftest import settings_for

FACT_KINDS = ["Announcement", "Statement", "Observation", "PostHolding", "DateResolution", "ExportControl"]


def contents(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*.ttl"))}


def test_the_same_seed_gives_the_same_project(tmp_path: Path) -> None:
    assert contents(generate(500, tmp_path / "a", seed=3).directory) == contents(
        generate(500, tmp_path / "b", seed=3).directory
    )
    assert contents(generate(500, tmp_path / "c", seed=4).directory) != contents(tmp_path / "a")


BLOCK_TRIPLES = 150  # about what one generated block (a measure, its events, two sources) holds


@pytest.mark.parametrize("size", [1_000, 5_000])
def test_the_size_asked_is_the_size_made(tmp_path: Path, size: int) -> None:
    made = generate(size, tmp_path, seed=1)
    project = load_project(tmp_path, Namespaces())
    assert made.triples == len(project.data_triples())
    assert size <= made.triples < max(size * 1.05, size + BLOCK_TRIPLES)  # it writes whole blocks


def test_a_generated_project_conforms_with_its_disagreements_as_warnings(tmp_path: Path) -> None:
    generate(2_000, tmp_path, seed=2)
    outcome = build(settings_for(tmp_path, tmp_path / "var"))
    assert outcome.report is not None and outcome.report.conforms
    warned = {r.focus for r in outcome.report.warnings}
    assert warned and all(focus.startswith("https://w3id.org/hkus/id/gen-event-") for focus in warned)


def test_a_generated_project_has_every_kind_of_fact_with_its_source(tmp_path: Path) -> None:
    generate(1_000, tmp_path, seed=2)
    project = load_project(tmp_path, Namespaces())
    typed = {
        t.object.value.rsplit("/", 1)[-1]
        for t in project.data_triples()
        if t.predicate.value.endswith("#type")
    }
    assert set(FACT_KINDS) <= typed
    assert len(project.source_documents) >= 2


def test_generate_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "something").write_text("x")
    result = subprocess.run(
        [sys.executable, "-m", "kgapp.cli", "generate", "--triples", "100", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "is not empty" in result.stderr
