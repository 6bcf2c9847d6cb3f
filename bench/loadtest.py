"""The load test: ``python -m bench.loadtest [--seconds 60] [--concurrency 16]`` (``make loadtest``).

Starts ``kgapp serve`` on the built graph and drives it from ``concurrency`` threads for a bounded
time, on 127.0.0.1 only: entity pages (HTML and JSON-LD), search, simple queries (each text
distinct) and a share of queries that run into the time limit. Pass when no request fails other
than the expected timeouts and 503s and the server's resident memory stays flat; p50/p99 per
kind of request, written to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.client
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from bench.serving import peers
from kgapp.build import build
from kgapp.config import load_settings
from kgapp.store import EmbeddedStore

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = [
    "SELECT ?label WHERE {{ <{entity}> rdfs:label ?label }}",
    "ASK {{ <{entity}> ?p ?o }}",
    "SELECT ?p (COUNT(*) AS ?n) WHERE {{ <{entity}> ?p ?o }} GROUP BY ?p",
]
WORDS = ["export", "hong", "law", "sanction", "pompeo", "trade", "extradition", "consulate"]
# What the clients send, by weight; one more client sends only queries that run into the time limit.
MIX = (("page", 0.4), ("json-ld", 0.15), ("search", 0.2), ("query", 0.25))
KINDS = (*MIX, ("slow query", 0.0))


@dataclass
class Tally:
    latencies_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, status: int, elapsed_ms: float) -> None:
        # A slow query runs into the time limit; any query may be turned away (503) while the
        # query processes are all busy; pages and search must always be answered.
        expected = {"slow query": {503}, "query": {200, 503}}.get(kind, {200})
        with self.lock:
            self.latencies_ms[kind].append(elapsed_ms)
            self.statuses[kind][status] += 1
            if status not in expected:
                self.failures.append(f"{kind}: {status}")


def request_for(
    kind: str, paths: dict[str, str], rng: random.Random, counter: int
) -> tuple[str, dict[str, str]]:
    entity = rng.choice(list(paths))
    local = paths[entity]
    if kind == "page":
        return f"{local}.html", {"Accept": "text/html"}
    if kind == "json-ld":
        return f"{local}.jsonld", {"Accept": "application/ld+json"}
    if kind == "search":
        return "/search.json?" + urlencode({"q": rng.choice(WORDS)}), {"Accept": "application/json"}
    if kind == "query":
        text = f"# {counter}\n" + rng.choice(SIMPLE).format(entity=entity)
        return "/sparql?query=" + quote(text, safe=""), {"Accept": "application/sparql-results+json"}
    text = f"# {counter}\n{SLOW}"
    return "/sparql?" + urlencode({"query": text, "timeout": "2"}), {
        "Accept": "application/sparql-results+json"
    }


def client(port: int, paths: dict[str, str], until: float, tally: Tally, seed: int, only: str = "") -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    counter = 0
    names = [name for name, _ in MIX]
    weights = [weight for _, weight in MIX]
    while time.monotonic() < until:
        counter += 1
        kind = only or rng.choices(names, weights)[0]
        path, headers = request_for(kind, paths, rng, seed * 1_000_000 + counter)
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            status = 0
            with tally.lock:
                tally.failures.append(f"{kind}: {type(exc).__name__}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        tally.record(kind, status, (time.perf_counter() - started) * 1000)


def resident_by_role(pid: int) -> dict[str, int]:
    """Resident memory (KiB) of the server's processes, by role: the main process, each web
    process (its own id), and the query processes together (killed and replaced as queries run
    into the time limit, so only their sum can be followed)."""
    found: dict[str, int] = defaultdict(int)
    pending = [(pid, 0)]
    while pending:
        current, depth = pending.pop()
        base = Path(f"/proc/{current}")
        try:
            command = (base / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            rss = next(
                int(line.split()[1])
                for line in (base / "status").read_text().splitlines()
                if line.startswith("VmRSS:")
            )
            children = [
                int(c) for task in (base / "task").glob("*") for c in (task / "children").read_text().split()
            ]
        except (OSError, StopIteration, ValueError):
            continue
        if "kgapp.engine.worker" in command:
            role = "query processes"
        elif "kgapp.writerservice" in command:
            role = "writer service"
        elif depth == 0:
            role = "main process"
        else:
            role = f"web process {current}"
        found[role] += rss
        pending += [(child, depth + 1) for child in children]
    return dict(found)


def resident_kib(pid: int) -> int:
    return sum(resident_by_role(pid).values())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)] if ordered else float("nan")


MINUTE = 60.0
TOLERANCE = 0.10  # ±10 % per process between minute 1 and the end


def around(samples: list[tuple[float, dict[str, int]]], when: float) -> dict[str, int]:
    """Each role's median over the samples within 10 s of ``when``."""
    near = [roles for t, roles in samples if abs(t - when) <= 10] or [
        min(samples, key=lambda s: abs(s[0] - when))[1]
    ]
    return {role: int(statistics.median(r.get(role, 0) for r in near)) for role in near[-1]}


def memory_lines(samples: list[tuple[float, dict[str, int]]], seconds: float) -> tuple[list[str], bool]:
    first, last = around(samples, min(MINUTE, seconds / 5)), around(samples, samples[-1][0])
    lines = [
        "",
        f"| process | MiB at {min(MINUTE, seconds / 5):g} s | MiB at the end | change |",
        "|---|---:|---:|---:|",
    ]
    flat = True
    for role in sorted(last):
        before, after = first.get(role, 0), last[role]
        change = (after - before) / before if before else 0.0
        flat &= abs(change) <= TOLERANCE
        lines.append(f"| {role} | {before / 1024:.0f} | {after / 1024:.0f} | {change * 100:+.1f} % |")
    return lines, flat


def report(
    tally: Tally, memory: list[tuple[float, dict[str, int]]], args: argparse.Namespace
) -> tuple[str, bool]:
    memory_table, flat = memory_lines(memory, args.seconds)
    start_kib, end_kib = sum(memory[0][1].values()), sum(memory[-1][1].values())
    total = sum(len(v) for v in tally.latencies_ms.values())
    lines = [
        "### Load test",
        "",
        f"`make loadtest`: {args.seconds:g} s at concurrency {args.concurrency} (one client sending only "
        f"queries that run into a 2 s time limit) against `kgapp serve` on the real graph, run "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {total:,} requests, "
        f"**{len(tally.failures)} failed** (anything but 200, or 503 for queries); resident memory "
        f"of the server and its processes {start_kib / 1024:.0f} MiB after warm-up, "
        f"{end_kib / 1024:.0f} MiB at the end; each process within ±{TOLERANCE * 100:.0f} % from minute 1 "
        f"to the end: **{'yes' if flat else 'NO'}**.",
        "",
        "| requests | count | statuses | p50 ms | p99 ms |",
        "|---|---:|---|---:|---:|",
    ]
    for kind, _ in KINDS:
        latencies = tally.latencies_ms.get(kind, [])
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(tally.statuses[kind].items()))
        lines.append(
            f"| {kind} | {len(latencies):,} | {statuses} | {percentile(latencies, 0.5):.1f} | "
            f"{percentile(latencies, 0.99):.1f} |"
        )
    lines += memory_table
    passed = not tally.failures and flat
    return "\n".join(lines) + "\n", passed


def write(output: Path, text: str) -> None:
    document = output.read_text(encoding="utf-8") if output.exists() else "# Benchmarks\n"
    begin, end = "<!-- BEGIN load test -->", "<!-- END load test -->"
    block = f"{begin}\n{text}{end}"
    if begin in document:
        document = document[: document.index(begin)] + block + document[document.index(end) + len(end) :]
    else:
        document = document.rstrip() + "\n\n" + block + "\n"
    output.write_text(document, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--output", type=Path, default=peers.ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        settings = load_settings(
            overrides={"project_root": peers.ROOT, "data_dir": work / "data"}, environ={}
        )
        build(settings)
        store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
        namespaces = settings.namespaces
        paths = {
            row["iri"].value: namespaces.path_of(row["iri"].value) or "" for row in store.select(ENTITIES)
        }
        server = peers.ours(settings.data_path, peers.ROOT, work)
        port = int(server.url.rsplit(":", 1)[1])
        try:
            tally, memory = Tally(), list[tuple[float, dict[str, int]]]()
            warm_up = threading.Thread(target=client, args=(port, paths, time.monotonic() + 5, Tally(), 0))
            warm_up.start()
            warm_up.join()
            started = time.monotonic()
            memory.append((0.0, resident_by_role(server.processes[0].pid)))
            until = time.monotonic() + args.seconds
            threads = [
                threading.Thread(target=client, args=(port, paths, until, tally, seed))
                for seed in range(1, args.concurrency)
            ]
            threads.append(threading.Thread(target=client, args=(port, paths, until, tally, 0, "slow query")))
            for thread in threads:
                thread.start()
            while any(t.is_alive() for t in threads):
                time.sleep(5)
                memory.append((time.monotonic() - started, resident_by_role(server.processes[0].pid)))
        finally:
            server.stop()
    text, passed = report(tally, memory, args)
    print(text)
    write(args.output, text)
    print(
        f"{'PASS' if passed else 'FAIL'}: {len(tally.failures)} failures",
        statistics.mode(tally.failures) if tally.failures else "",
    )
    return 0 if passed else 1


ENTITIES = (
    """SELECT DISTINCT ?iri WHERE { ?iri ?p ?o FILTER (STRSTARTS(STR(?iri), "https://w3id.org/hkus/id/")) }"""
)


if __name__ == "__main__":
    sys.exit(main())
