"""The build benchmark runs end to end on the real graph and reports every run (not a timing test)."""

from __future__ import annotations

from pathlib import Path

from bench.build import RUNS, main


def test_build_benchmark_reports_each_run_the_commits_and_their_targets(tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    markers = "<!-- bench.build: start -->\n<!-- bench.build: end -->\n"
    output.write_text(f"# Benchmarks\n\n## Build\n\nWritten by hand.\n\n{markers}")
    main(["--sizes", "real", "--repeat", "1", "--commits", "4", "--backends", "", "--output", str(output)])
    report = output.read_text()
    assert "Written by hand." in report and "### the real graph" in report
    assert "| real | unchanged | wall s |" in report
    assert "| real | one-triple commits, in process | commit p50 s |" in report
    assert "| real | 4 |" in report  # the commits table: four commits timed
    for run in RUNS:
        assert f"| {run} |" in report
