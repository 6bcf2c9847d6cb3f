"""Progress of a build: stage lines, and for counted work the count, rate and time left —
a live bar on a terminal (rich), a plain line every few seconds otherwise (logs, CI)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

PLAIN_EVERY_S = 5.0


def stamped(message: str, stream: TextIO | None = None) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=stream or sys.stderr, flush=True)


class Progress:
    """Says what a build does; ``say`` receives whole lines."""

    def __init__(
        self,
        say: Callable[[str], None] = lambda _: None,
        *,
        terminal: bool = False,
        stream: TextIO | None = None,
    ) -> None:
        self.say = say
        self.terminal = terminal
        self.stream = stream or sys.stderr

    @classmethod
    def for_stream(cls, stream: TextIO = sys.stderr) -> Progress:
        return cls(lambda m: stamped(m, stream), terminal=stream.isatty(), stream=stream)

    @contextmanager
    def stage(self, name: str, timings: dict[str, float]) -> Iterator[None]:
        """Says a stage starts and ends; its time is added to ``timings[name]``."""
        self.say(f"{name}…")
        started = time.perf_counter()
        yield
        timings[name] = round(timings.get(name, 0) + time.perf_counter() - started, 4)
        self.say(f"{name}: done in {timings[name]:.2f} s")

    @contextmanager
    def counting(self, label: str, total: int | None, unit: str) -> Iterator[Callable[[int], None]]:
        """A counter to advance as items of work are done; with ``total`` known, the time left too
        (the reasoner's work has no total in advance: it reports a count and a rate)."""
        if self.terminal:
            with self._bar(label, total, unit) as bar_advance:
                yield bar_advance
            return
        started = last = time.monotonic()
        done = 0

        def advance(n: int = 1) -> None:
            nonlocal done, last, started
            if done == 0:  # the rate counts from the first item done, not from the set-up before it
                started = last = time.monotonic() - 1e-9
            done += n
            now = time.monotonic()
            if now - last < PLAIN_EVERY_S or (total is not None and done >= total):
                return
            last = now
            rate = done / (now - started)
            if total is None:
                self.say(f"  {label}: {done:,} {unit} ({rate:,.0f}/s)")
            else:
                left = (total - done) / rate if rate else 0.0
                self.say(f"  {label}: {done:,}/{total:,} {unit} ({rate:,.0f}/s, about {left:,.0f} s left)")

        yield advance

    @contextmanager
    def _bar(self, label: str, total: int | None, unit: str) -> Iterator[Callable[[int], None]]:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bar

        columns = [TextColumn(f"  {label}"), BarColumn(), MofNCompleteColumn(), TextColumn(unit)]
        columns += [TaskProgressColumn(), TimeRemainingColumn()] if total is not None else []
        with Bar(*columns, transient=True, console=Console(file=self.stream, force_terminal=True)) as bar:
            task = bar.add_task(label, total=total)

            def advance(n: int = 1) -> None:
                bar.advance(task, n)

            yield advance


def as_progress(progress: Progress | Callable[[str], None] | None) -> Progress:
    if isinstance(progress, Progress):
        return progress
    return Progress(progress or (lambda _: None))
