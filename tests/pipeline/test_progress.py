"""Progress of long stages: count, rate and time left — plain lines when not on a terminal, a
live bar (rich) on one."""

from __future__ import annotations

import io

import pytest

from kgapp import progress as progress_module
from kgapp.progress import Progress


def test_plain_lines_give_count_rate_and_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "PLAIN_EVERY_S", 0.0)
    lines: list[str] = []
    with Progress(lines.append).counting("parse", 4, "files") as advance:
        for _ in range(3):
            advance(1)
    assert lines and lines[-1].startswith("  parse: 3/4 files (")
    assert "/s, about" in lines[-1] and "s left)" in lines[-1]


def test_work_without_a_total_gives_count_and_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "PLAIN_EVERY_S", 0.0)
    lines: list[str] = []
    with Progress(lines.append).counting("reason", None, "triples fired") as advance:
        advance(50_000)
    assert (
        lines == [lines[0]]
        and lines[0].startswith("  reason: 50,000 triples fired (")
        and "left" not in lines[0]
    )


def test_plain_lines_are_few(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a line per item: at most one every few seconds."""
    lines: list[str] = []
    with Progress(lines.append).counting("parse", 10_000, "files") as advance:
        for _ in range(10_000):
            advance(1)
    assert lines == []


def test_a_terminal_gets_a_bar_with_count_and_time_left() -> None:
    screen = io.StringIO()
    with Progress(terminal=True, stream=screen).counting("dumps", 4, "files") as advance:
        advance(3)
    drawn = screen.getvalue()
    assert "dumps" in drawn and "3/4" in drawn and "files" in drawn
