"""The versions benchmark runs end to end on the real graph and reports every measure (not a
timing test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.versions import END, START, main

pytestmark = [pytest.mark.slow]


def test_versions_benchmark_reports_pages_queries_timegates_and_disk(tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    output.write_text(f"# Benchmarks\n\nWritten by hand.\n\n{START}\n{END}\n")
    main(["--sizes", "real", "--commits", "4", "--pages", "3", "--output", str(output)])
    report = output.read_text()
    assert "Written by hand." in report
    row = next(line for line in report.splitlines() if line.startswith("| real |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert len(cells) == 13 and cells[-2] == "5"  # the build and four commits, all kept
