"""The benchmark runs end to end and both engines agree on every query (not a timing test)."""

from __future__ import annotations

from pathlib import Path

from bench.run import main
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
