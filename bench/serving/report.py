"""What the serving benchmark checks before it measures, and the tables it writes."""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote
from urllib.request import Request, urlopen

from bench.serving import load, peers

OURS, UNION, DEFAULT, RDFLIB = "ours", "oxigraph (union)", "oxigraph (default graph)", "rdflib-endpoint"
PACKAGES = ("pyoxigraph", "oxigraph", "granian", "flask", "rdflib", "rdflib-endpoint")


def _rows(peer: peers.Peer, case: Any) -> int:
    accept = "application/n-triples" if "DESCRIBE" in case.text else "application/sparql-results+json"
    request = Request(
        f"{peer.url}{peer.sparql_path}?query={quote(case.text, safe='')}", headers={"Accept": accept}
    )
    with urlopen(request, timeout=120) as response:
        body = response.read()
    if accept == "application/n-triples":
        return sum(1 for line in body.splitlines() if line.strip())
    return len(json.loads(body)["results"]["bindings"])


def check_agreement(targets: list[peers.Peer], cases: list[Any]) -> None:
    """Every peer answers every query before anything is timed; ours and Oxigraph on the same
    default graph must return the same number of rows."""
    by_name = {p.name: p for p in targets}
    for case in cases:
        counts = {p.name: _rows(p, case) for p in targets}
        print(f"  {case.name}: " + ", ".join(f"{n} {c}" for n, c in counts.items()), flush=True)
        if counts[OURS] != counts[DEFAULT] and by_name.get(DEFAULT):
            raise SystemExit(
                f"{case.name}: ours {counts[OURS]} rows, Oxigraph on the same graph {counts[DEFAULT]}"
            )


def geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def _versions() -> str:
    found = []
    for package in PACKAGES:
        try:
            found.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            continue
    return ", ".join(found)


def _machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    info = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), platform.processor())
    system = f"{platform.system()} {platform.machine()}"
    return f"{system}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


HEADER = (
    "| query | ours req/s | Oxigraph (union) req/s | ratio | Oxigraph (default graph) req/s | ratio "
    "| rdflib-endpoint req/s | ours p99 ms | Oxigraph p99 ms |"
)


def _query_table(names: list[str], queries: dict[tuple[str, str, str], load.Load], mode: str) -> list[str]:
    lines = [HEADER, "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    ratios: dict[str, list[float]] = {UNION: [], DEFAULT: []}
    for name in names:
        ours, union, default = (queries[(name, mode, peer)] for peer in (OURS, UNION, DEFAULT))
        rdflib = queries.get((name, mode, RDFLIB))
        for peer, other in ((UNION, union), (DEFAULT, default)):
            ratios[peer].append(ours.requests_per_s / other.requests_per_s)
        lines.append(
            f"| {name} | {ours.requests_per_s:,.0f} | {union.requests_per_s:,.0f} | "
            f"{ours.requests_per_s / union.requests_per_s:.2f}× | {default.requests_per_s:,.0f} | "
            f"{ours.requests_per_s / default.requests_per_s:.2f}× | "
            f"{rdflib.requests_per_s:,.1f} | {ours.p99_ms:.1f} | {union.p99_ms:.1f} |"
            if rdflib
            else f"| {name} | {ours.requests_per_s:,.0f} | — | — | — | — | — | — | — |"
        )
    lines.append(
        f"| **geometric mean** | | | **{geometric_mean(ratios[UNION]):.2f}×** | | "
        f"**{geometric_mean(ratios[DEFAULT]):.2f}×** | | | |"
    )
    errors = sum(queries[(n, mode, OURS)].errors for n in names)
    lines.append("")
    lines.append(f"Failed or non-2xx answers of ours in this table: {errors}.")
    return lines


def _page_table(pages: dict[str, load.Load]) -> list[str]:
    floor = pages["web floor (a route that does nothing)"].requests_per_s
    lines = ["| what | req/s | share of the web floor | p50 ms | p99 ms |", "|---|---:|---:|---:|---:|"]
    for name, measured in pages.items():
        lines.append(
            f"| {name} | {measured.requests_per_s:,.0f} | {measured.requests_per_s / floor:.0%} | "
            f"{measured.p50_ms:.2f} | {measured.p99_ms:.2f} |"
        )
    return lines


def section(
    label: str,
    names: list[str],
    queries: dict[tuple[str, str, str], load.Load],
    pages: dict[str, load.Load],
    args: argparse.Namespace,
) -> str:
    load_average = os.getloadavg()[0]
    lines = [
        f"### Serving: {label}",
        "",
        f"Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on {_machine()}; {_versions()}; wrk, "
        f"{args.connections} connections, {args.seconds:g} s per cell, median of {args.rounds} interleaved "
        f"rounds; load average {load_average:.2f} at the end.",
        "",
        "Repeated query texts — **cached**: after the first request our response cache answers (per build, "
        "invisible to correctness, ETag/304):",
        "",
        *_query_table(names, queries, "repeated"),
        "",
        "Distinct query texts — **not cached**: every request's text differs (a numbered comment), so the "
        "engine does the whole work each time:",
        "",
        *_query_table(names, queries, "distinct"),
        "",
        "Pages, search and a dump, against the web floor in the same run (repeated requests, cached):",
        "",
        *_page_table(pages),
    ]
    return "\n".join(lines) + "\n"


def write(
    output: Path,
    label: str,
    names: list[str],
    queries: dict[tuple[str, str, str], load.Load],
    pages: dict[str, load.Load],
    args: argparse.Namespace,
) -> None:
    text = output.read_text(encoding="utf-8") if output.exists() else "# Benchmarks\n"
    begin, end = f"<!-- BEGIN serving: {label} -->", f"<!-- END serving: {label} -->"
    body = f"{begin}\n{section(label, names, queries, pages, args)}{end}"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.DOTALL)
    text = (
        pattern.sub(lambda _m: body, text) if pattern.search(text) else text.rstrip() + "\n\n" + body + "\n"
    )
    output.write_text(text, encoding="utf-8")
