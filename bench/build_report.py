"""The build benchmark's report: tables per size, targets, engines, written into a page."""

from __future__ import annotations

import os
import platform
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

STAGES = ("diff", "parse", "validate", "check", "reason", "inputs", "store", "record", "publish")
RUNS = ("from scratch", "unchanged", "one file changed (triple added)", "one file changed (triple removed)")


@dataclass
class SizeResult:
    label: str
    files: int
    runs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    commits: list[dict[str, Any]] = field(default_factory=list)

    def commit_times(self) -> list[float]:
        return [t for run in self.commits for t in run["commit_s"]]

    def retained_ratio(self) -> float:
        ratios = [
            run["retained_mib"] / run["one_version_mib"] for run in self.commits if run["one_version_mib"]
        ]
        return median(ratios)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def table(result: SizeResult) -> list[str]:
    header = "| run | wall s | " + " | ".join(STAGES) + " | peak MiB | store MiB |"
    lines = [header, "|---|" + "---:|" * (len(STAGES) + 3)]
    for run, steps in result.runs.items():
        cells = [f"{median([s['wall_s'] for s in steps]):.2f}"]
        for stage in STAGES:
            times = [s["stages_s"].get(stage) for s in steps if stage in s["stages_s"]]
            peaks = [s["stage_peak_mib"].get(stage, 0.0) for s in steps if stage in s["stages_s"]]
            cells.append(f"{median(times):.2f} s · {median(peaks):,.0f} MiB" if times else "–")
        cells += [
            f"{median([s['peak_mib'] for s in steps]):,.0f}",
            f"{median([s['store_mib'] for s in steps]):.1f}",
        ]
        lines.append(f"| {run} | " + " | ".join(cells) + " |")
    return lines


# (size, run, what is measured, limit) — the targets the build is held to
TARGETS = [
    ("real", RUNS[1], "wall s", 0.25),
    ("1e5", RUNS[2], "wall s", 1.0),
    ("1e5", RUNS[0], "wall s", 15.0),
    ("1e6", RUNS[0], "wall s", 120.0),
    ("1e6", RUNS[0], "peak MiB", 4096.0),
]
# (size, what is measured, limit) — the targets of the in-process commits
COMMIT_TARGETS = [
    ("real", "commit p50 s", 0.030),
    ("1e5", "commit p50 s", 0.100),
    ("1e5", "commit p95 s", 0.250),
    ("1e6", "commit p50 s", 0.250),
    ("1e5", "retained versions ÷ one version (disk)", 1.5),
]
START, END = "<!-- bench.build: start -->", "<!-- bench.build: end -->"


def targets(results: list[SizeResult]) -> list[str]:
    by_label = {r.label: r for r in results}
    lines = ["| size | run | measure | target | measured | met |", "|---|---|---|---:|---:|---|"]
    for label, run, what, limit in TARGETS:
        if label not in by_label:
            continue
        steps = by_label[label].runs[run]
        value = median([s["wall_s"] if what == "wall s" else s["peak_mib"] for s in steps])
        met = "yes" if value < limit else "**no**"
        lines.append(f"| {label} | {run} | {what} | < {limit:,g} | {value:,.2f} | {met} |")
    for label, what, limit in COMMIT_TARGETS:
        if label not in by_label or not by_label[label].commits:
            continue
        value = commit_measure(by_label[label], what)
        met = "yes" if value < limit else "**no**"
        lines.append(
            f"| {label} | one-triple commits, in process | {what} | < {limit:,g} | {value:,.3f} | {met} |"
        )
    return lines


def commit_measure(result: SizeResult, what: str) -> float:
    times = result.commit_times()
    if what == "commit p50 s":
        return median(times)
    if what == "commit p95 s":
        return percentile(times, 0.95)
    return result.retained_ratio()


def commits_table(results: list[SizeResult]) -> list[str]:
    lines = [
        "| size | commits | p50 ms | p95 ms | max ms | one version MiB | retained versions MiB | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        times = result.commit_times()
        if not times:
            continue
        runs = result.commits
        lines.append(
            f"| {result.label} | {len(times)} | {median(times) * 1000:.1f} | "
            f"{percentile(times, 0.95) * 1000:.1f} | "
            f"{max(times) * 1000:.1f} | {median([r['one_version_mib'] for r in runs]):.1f} | "
            f"{median([r['retained_mib'] for r in runs]):.1f} ({runs[0]['retained']} versions) | "
            f"{result.retained_ratio():.2f}× |"
        )
    return lines


def write_section(path: Path, text: str, start: str = START, end: str = END) -> None:
    """Replace the generated region of ``path`` between ``start`` and ``end`` (the hand-written
    text around it stays)."""
    current = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{start}\n{end}\n"
    if start not in current:
        current += f"\n{start}\n{end}\n"
    before, rest = current.split(start, 1)
    after = rest.split(end, 1)[1]
    path.write_text(f"{before}{start}\n{text}{end}{after}", encoding="utf-8")


def publish(text: str, output: Path | None, start: str = START, end: str = END) -> int:
    """A benchmark's section written into ``output`` between its markers, or printed."""
    if output:
        write_section(output, text, start, end)
    else:
        print(text)
    return 0


def report(
    results: list[SizeResult],
    backend_rows: list[str],
    repeat: int,
    large_repeat: int,
    load_before: float,
    calibration_s: float,
) -> str:
    versions = ", ".join(
        f"{p} {metadata.version(p)}" for p in ("pyoxigraph", "pyshacl-turbo", "pyshacl", "owlrl")
    )
    lines = [
        "Generated by `python -m bench.build`; do not edit by hand.",
        "",
        f"- run: {datetime.now(UTC):%Y-%m-%d}, Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, load average before the run {load_before:.2f}; {versions}",
        f"- each figure is the median of {repeat} run(s) ({large_repeat} at 1e6); every build is a fresh "
        "process (wall time includes starting Python); a cell is the stage's time · its peak resident memory",
        f"- calibration: a fixed pure-Python loop took {calibration_s:.3f} s in this run",
        "",
    ]
    lines += ["### Targets", "", *targets(results), ""]
    lines += [
        "### Commits in process (validated, reasoned, stored, seen by a new reader)",
        "",
        *commits_table(results),
        "",
    ]
    for result in results:
        scratch = result.runs[RUNS[0]][0]
        name = (
            "the real graph" if result.label == "real" else f"generated, {float(result.label):,.0f} triples"
        )
        lines += [
            f"### {name} ({scratch['triples']:,} triples stored with inferences, {result.files:,} files)",
            "",
        ]
        lines += [*table(result), ""]
    if backend_rows:
        lines += [
            "### Backends: default against reference (stage time in seconds, from scratch)",
            "",
            "| size | validate: pyshacl-turbo | pySHACL | ratio | reason: rules | owlrl | ratio |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *backend_rows,
            "",
        ]
    return "\n".join(lines) + "\n"
