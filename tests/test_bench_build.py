"""The build benchmark runs end to end on the real graph and reports every run (not a timing test)."""

from __future__ import annotations

from pathlib import Path

from bench.build import RUNS, main


def test_build_benchmark_reports_each_run_and_the_backends(tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    markers = "<!-- bench.build: start -->\n<!-- bench.build: end -->\n"
    output.write_text(f"# Benchmarks\n\n## Build\n\nWritten by hand.\n\n{markers}")
    main(["--sizes", "real", "--repeat", "1", "--backends", "", "--output", str(output)])
    report = output.read_text()
    assert (
        "Written by hand." in report
        and "### the real graph" in report
        and "| real | from scratch | wall s |" in report
    )
    for run in RUNS:
        assert f"| {run} |" in report
