"""The benchmark runs end to end and both engines agree on every query (not a timing test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import loadtest
from bench.run import main
from bench.serving import run as serving
from tests.conftest import FIXTURES


def test_benchmark_writes_a_report_with_both_engines(tmp_path: Path, capsys) -> None:
    output = tmp_path / "benchmark.md"
    main(
        [
            "--project",
            str(FIXTURES / "mini"),
            "--scale",
            "1,2",
            "--repeat",
            "1",
            "--memory-scale",
            "2",
            "--output",
            str(output),
        ]
    )
    report = output.read_text()
    assert "## Scale ×1" in report and "## Scale ×2" in report
    assert "| `class_counts` |" in report
    assert "rows (pyoxigraph) vs" not in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.server
def test_the_serving_benchmark_measures_every_peer_on_the_same_data(tmp_path: Path) -> None:
    """Every peer starts, answers every query of the mix with the same rows as ours, and lands in
    the report (not a timing test: a second per cell)."""
    output = tmp_path / "benchmarks.md"
    arguments = ["--project", str(FIXTURES / "mini"), "--label", "mini", "--seconds", "1", "--rounds", "1"]
    assert serving.main([*arguments, "--output", str(output)]) == 0
    report = output.read_text()
    assert "### Serving: mini" in report
    for peer in ("Oxigraph (union)", "Oxigraph (default graph)", "rdflib-endpoint", "web floor"):
        assert peer in report
    assert report.count("**geometric mean**") == 2


@pytest.mark.slow
@pytest.mark.server
def test_the_load_test_passes_on_a_short_run(tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    assert loadtest.main(["--seconds", "5", "--concurrency", "4", "--output", str(output)]) == 0
    assert "**0 failed**" in output.read_text()
