"""Writes benchmark: what a checked, sourced, reasoned write costs over HTTP, with an unchecked
store's write beside it for scale, and what writing does to reading, in one run.

    python -m bench.writes [--sizes real,1e5] [--writes 40] [--seconds 8] [--output docs/benchmarks.md]

For each size a project is prepared (the real one, or ``kgapp generate``) and built, then served
by ``kgapp serve`` with a write token; ``oxigraph serve`` (writable) holds the same quads. Through
HTTP, interleaved request by request:

- a single-triple insert and delete, and a 100-triple insert and delete, about a typical thing
  of one source graph (each round leaves the graph as it found it),
  on ``/update`` (the whole gate: token, sourcing, shapes, reasoning, one commit, the patch file)
  and on oxigraph's ``/update`` (no gate);
- the read mix: wrk against distinct query texts on ``/sparql``, read-only and while one writer
  commits 10 writes per second, alternated.

Figures are medians and 95th percentiles; ratios are from the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import requests

from bench.build import prepare
from bench.build_report import publish
from bench.serving import load
from bench.serving.peers import BIN, Peer, _start, free_port

START, END = "<!-- bench.writes: start -->", "<!-- bench.writes: end -->"
TOKEN = "bench-writer-token"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
READ_QUERY = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 20"
KINDS = ("insert 1", "delete 1", "insert 100", "delete 100")


@dataclass
class SizeResult:
    label: str
    triples: int = 0
    ours: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    oxigraph: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    reads_alone: list[float] = field(default_factory=list)
    reads_with_writes: list[float] = field(default_factory=list)
    writes_during_reads: int = 0
    refused: int = 0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def _target(project: Path) -> tuple[str, str]:
    """A typical thing a source states (the median number of statements in its source's graph),
    and that graph, to write about."""
    from kgapp.config import load_settings
    from kgapp.store import EmbeddedStore

    settings = load_settings(overrides={"project_root": project, "data_dir": project / "var"}, environ={})
    store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
    sources, things = settings.namespaces.graph + "source/", settings.namespaces.base + "id/"
    rows = store.select(
        f"SELECT ?s ?g (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER(STRSTARTS(STR(?g), '{sources}') && STRSTARTS(STR(?s), '{things}')) }} "
        "GROUP BY ?s ?g ORDER BY ?n ?s"
    )
    row = rows[len(rows) // 2]
    return row["s"].value, row["g"].value


def _dump(project: Path, work: Path) -> tuple[Path, int]:
    import pyoxigraph as ox

    from kgapp.config import load_settings
    from kgapp.store import EmbeddedStore

    settings = load_settings(overrides={"project_root": project, "data_dir": project / "var"}, environ={})
    store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
    path = work / "dump.nq"
    with path.open("wb") as handle:
        ox.serialize(store.quads(), handle, format=ox.RdfFormat.N_QUADS)
    return path, store.info.asserted_triples + store.info.inferred_triples


def _ours(project: Path, work: Path) -> Peer:
    port = free_port()
    environment = {
        "KGAPP_PROJECT_ROOT": str(project),
        "KGAPP_DATA_DIR": str(project / "var"),
        "KGAPP_LOG_LEVEL": "WARNING",
        "KGAPP_WRITE_TOKENS": f"bench:*:{TOKEN}",
        "KGAPP_RESPONSE_CACHE_MB": "0",
    }
    command = [sys.executable, "-m", "kgapp.cli", "serve", "--no-build", "--port", str(port)]
    return _start("ours", command, "/health", port, "/sparql", work, **environment)


def _oxigraph(dump: Path, work: Path) -> Peer:
    location = work / "oxigraph-writable"
    binary = str(BIN / "oxigraph") if (BIN / "oxigraph").exists() else shutil.which("oxigraph") or "oxigraph"
    subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(dump)], check=True, capture_output=True
    )
    port = free_port()
    command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    return _start("oxigraph", command, "/query?query=ASK%7B%7D", port, "/query", work)


def _updates(subject: str, graph: str, number: int) -> dict[str, str]:
    one = f'<{subject}> <{COMMENT}> "bench note {number}"@en'
    many = " . ".join(f'<{subject}> <{COMMENT}> "bench note {number}.{k}"@en' for k in range(100))
    return {
        "insert 1": f"INSERT DATA {{ GRAPH <{graph}> {{ {one} }} }}",
        "delete 1": f"DELETE DATA {{ GRAPH <{graph}> {{ {one} }} }}",
        "insert 100": f"INSERT DATA {{ GRAPH <{graph}> {{ {many} }} }}",
        "delete 100": f"DELETE DATA {{ GRAPH <{graph}> {{ {many} }} }}",  # back as it was
    }


def _post(session: requests.Session, url: str, text: str, token: str | None) -> float:
    headers = {"Content-Type": "application/sparql-update"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    response = session.post(url, data=text.encode("utf-8"), headers=headers, timeout=120)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code >= 300:
        raise RuntimeError(f"{url}: {response.status_code} {response.text[:500]}")
    return elapsed


def _writes(result: SizeResult, ours: Peer, peer: Peer, subject: str, graph: str, count: int) -> None:
    """Interleaved in blocks of five writes of each kind: a store's own disk flushes then land in
    its own block, not in the other's next write."""
    mine, theirs = requests.Session(), requests.Session()
    for start in range(0, count, 5):
        numbers = range(start, min(start + 5, count))
        for session, url, token, into in (
            (mine, ours.url, TOKEN, result.ours),
            (theirs, peer.url, None, result.oxigraph),
        ):
            for number in numbers:
                for kind, text in _updates(subject, graph, number).items():
                    into[kind].append(_post(session, url + "/update", text, token))


def _write_steadily(
    url: str, subject: str, graph: str, first: int, stop: threading.Event, counts: dict[str, int]
) -> None:
    """One writer committing 10 writes a second (a note added, then taken out) until ``stop``."""
    session, number = requests.Session(), 0
    headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
    while not stop.is_set():
        started = time.monotonic()
        kind = "insert 1" if number % 2 == 0 else "delete 1"
        text = _updates(subject, graph, first + number // 2)[kind]
        answer = session.post(url + "/update", data=text.encode("utf-8"), headers=headers, timeout=60)
        accepted = answer.status_code == 200
        counts["written" if accepted else "refused"] += 1
        number += 1 if accepted else 0
        stop.wait(max(0.0, 0.1 - (time.monotonic() - started)))


def _reads(result: SizeResult, ours: Peer, subject: str, graph: str, seconds: float, rounds: int) -> None:
    path = "/sparql?query=" + quote(READ_QUERY)
    accept = "application/sparql-results+json"
    for round_ in range(rounds):
        alone = load.run(ours.url, path, accept, distinct=True, seconds=seconds, connections=8)
        result.reads_alone.append(alone.requests_per_s)
        stop, counts = threading.Event(), {"written": 0, "refused": 0}
        arguments = (ours.url, subject, graph, 10_000 * (round_ + 1), stop, counts)
        thread = threading.Thread(target=_write_steadily, args=arguments)
        thread.start()
        busy = load.run(ours.url, path, accept, distinct=True, seconds=seconds, connections=8)
        stop.set()
        thread.join()
        result.reads_with_writes.append(busy.requests_per_s)
        result.writes_during_reads += counts["written"]
        result.refused += counts["refused"]


def measure(label: str, writes: int, seconds: float, workdir: Path) -> SizeResult:
    from kgapp.build import build
    from kgapp.config import load_settings

    project = prepare(label, workdir / f"project-{label}")
    build(load_settings(overrides={"project_root": project, "data_dir": project / "var"}, environ={}))
    subject, graph = _target(project)
    dump, triples = _dump(project, workdir)
    result = SizeResult(label, triples)
    ours, peer = _ours(project, workdir), _oxigraph(dump, workdir)
    try:
        _writes(result, ours, peer, subject, graph, 3)  # warm-up: shapes compiled, files cached
        result = SizeResult(label, triples)
        _writes(result, ours, peer, subject, graph, writes)
        if load.wrk_available():
            _reads(result, ours, subject, graph, seconds, rounds=3)
    finally:
        ours.stop()
        peer.stop()
    return result


def report(results: list[SizeResult], writes: int, seconds: float) -> str:
    lines = [
        "Generated by `python -m bench.writes`; do not edit by hand.",
        "",
        f"- run: {datetime.now(UTC):%Y-%m-%d}, Python {sys.version.split()[0]}, {os.cpu_count()} cores; "
        f"{writes} writes of each kind per size through HTTP, ours and oxigraph's interleaved; "
        f"reads: wrk, 8 connections, {seconds:g} s, distinct query texts, alternated 3 times",
        "",
        "| size | triples | write | ours p50 ms | ours p95 ms | oxigraph serve p50 ms (no gate) | p95 ms "
        "| ours ÷ oxigraph (p50) |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for kind in KINDS:
            ours, theirs = r.ours[kind], r.oxigraph[kind]
            lines.append(
                f"| {r.label} | {r.triples:,} | {kind} | {statistics.median(ours):.1f} "
                f"| {percentile(ours, 0.95):.1f} "
                f"| {statistics.median(theirs):.1f} | {percentile(theirs, 0.95):.1f} "
                f"| {statistics.median(ours) / statistics.median(theirs):.0f}× |"
            )
    lines += [
        "",
        "| size | reads alone (req/s) | reads while writing 10/s (req/s) | ratio "
        "| writes committed meanwhile | refused |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if r.reads_alone:
            alone, busy = statistics.median(r.reads_alone), statistics.median(r.reads_with_writes)
            lines.append(
                f"| {r.label} | {alone:.0f} | {busy:.0f} | {busy / alone:.2f} "
                f"| {r.writes_during_reads} | {r.refused} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="real,1e5")
    parser.add_argument("--writes", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--output", type=Path, help="write the section here (default: print it)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kgapp-writes-") as tmp:
        results = [
            measure(label, args.writes, args.seconds, Path(tmp)) for label in args.sizes.split(",") if label
        ]
    text = report(results, args.writes, args.seconds)
    return publish(text, args.output, START, END)


if __name__ == "__main__":
    sys.exit(main())
