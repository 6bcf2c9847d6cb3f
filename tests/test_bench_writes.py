"""The writes benchmark runs end to end on the real graph and reports every measure (not a
timing test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.writes import END, START, main

pytestmark = [pytest.mark.slow, pytest.mark.server]


def test_writes_benchmark_reports_each_kind_of_write_and_reads_under_writes(tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    output.write_text(f"# Benchmarks\n\nWritten by hand.\n\n{START}\n{END}\n")
    main(["--sizes", "real", "--writes", "3", "--seconds", "1", "--output", str(output)])
    report = output.read_text()
    assert "Written by hand." in report
    rows = [line for line in report.splitlines() if line.startswith("| real |")]
    kinds = {row.split("|")[3].strip() for row in rows if len(row.split("|")) > 8}
    assert kinds == {"insert 1", "delete 1", "insert 100", "delete 100"}
    assert any(len(row.split("|")) == 8 for row in rows)  # reads alone and while writing
