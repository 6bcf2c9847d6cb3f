"""The pages benchmark runs end to end on the real graph and reports every measure (not a timing
test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.pages import END, START, main

pytestmark = [pytest.mark.slow]


def test_pages_benchmark_reports_pages_and_not_found(tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    output.write_text(f"# Benchmarks\n\nWritten by hand.\n\n{START}\n{END}\n")
    main(["--sizes", "real", "--pages", "3", "--output", str(output)])
    report = output.read_text()
    assert "Written by hand." in report
    row = next(line for line in report.splitlines() if line.startswith("| real |"))
    assert len([cell for cell in row.strip("|").split("|")]) == 6
