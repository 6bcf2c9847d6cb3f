"""Run the serving benchmark: ``python -m bench.serving.run [--project DIR] [--seconds S]``.

Builds the project, starts every peer on the same data (see :mod:`bench.serving.peers`), checks
that they agree, then measures each query of the mix (``bench/queries/``) and each kind of page
with wrk at a fixed concurrency: peers interleaved within each round, the median of the rounds
reported. "repeated" sends one query text over and over (our response cache may answer it);
"distinct" makes every text different (a numbered comment), so no cache can.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from bench.serving import load, peers, report
from kgapp.build import build
from kgapp.config import load_settings
from kgapp.store import EmbeddedStore

QUERIES = Path(__file__).resolve().parents[1] / "queries"
RESULTS_JSON = "application/sparql-results+json"
MODES = ("repeated", "distinct")


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    accept: str


def mix(entity: str) -> list[Case]:
    cases = []
    for path in sorted(QUERIES.glob("[0-9]-*.rq")):
        text = path.read_text(encoding="utf-8").replace("<ENTITY>", f"<{entity}>")
        accept = "text/turtle" if "DESCRIBE" in text else RESULTS_JSON
        cases.append(Case(path.stem.split("-", 1)[1], text, accept))
    return cases


def prepare(project: Path, work: Path) -> tuple[Path, Path, Path, str, str]:
    """A build of the project, its dumps for the peers, the entity the lookups ask about (the
    best described) and the one whose page is measured (a typical one: the median)."""
    data_dir = work / "data"
    settings = load_settings(overrides={"project_root": project, "data_dir": data_dir}, environ={})
    build(settings)
    store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
    dump, default = work / "dump.nq", work / "default.nt"
    with dump.open("wb") as handle:
        ox.serialize(store.quads(), handle, format=ox.RdfFormat.N_QUADS)
    with default.open("wb") as handle:
        ox.serialize(store.union_triples(), handle, format=ox.RdfFormat.N_TRIPLES)
    best = store.select((QUERIES / "best-described.rq").read_text(encoding="utf-8"))
    every = store.select((QUERIES / "typical-entity.rq").read_text(encoding="utf-8"))
    return data_dir, dump, default, best[0]["entity"].value, every[len(every) // 2]["entity"].value


def start_all(project: Path, data_dir: Path, dump: Path, default: Path, work: Path) -> list[peers.Peer]:
    started = [peers.ours(data_dir, project, work)]
    started.append(peers.oxigraph("oxigraph (union)", dump, work, union=True))
    started.append(peers.oxigraph("oxigraph (default graph)", default, work, union=False))
    started.append(peers.rdflib_endpoint(dump, work))
    return started


def measure_queries(
    targets: list[peers.Peer], cases: list[Case], args: argparse.Namespace
) -> dict[tuple[str, str, str], list[load.Load]]:
    results: dict[tuple[str, str, str], list[load.Load]] = defaultdict(list)
    for round_number in range(args.rounds):
        for case in cases:
            for mode in MODES:
                order = targets if round_number % 2 == 0 else list(reversed(targets))
                for peer in order:
                    seconds = args.seconds if peer.name != "rdflib-endpoint" else max(args.seconds / 2, 1)
                    path = f"{peer.sparql_path}?query={quote(case.text, safe='')}"
                    measured = load.run(
                        peer.url,
                        path,
                        case.accept,
                        distinct=mode == "distinct",
                        seconds=seconds,
                        connections=args.connections,
                    )
                    results[(case.name, mode, peer.name)].append(measured)
                    rate = f"{measured.requests_per_s:.0f}/s"
                    print(f"  round {round_number + 1} {case.name} {mode} {peer.name}: {rate}", flush=True)
    return results


def measure_pages(
    ours: peers.Peer, floor: peers.Peer, entity: str, args: argparse.Namespace
) -> dict[str, list[load.Load]]:
    local = entity.removeprefix("https://w3id.org/hkus")  # the base's path: /id/x
    pages = {
        "web floor (a route that does nothing)": (floor, "/nothing", "*/*"),
        "entity page (HTML)": (ours, f"{local}.html", "text/html"),
        "entity page (JSON-LD)": (ours, f"{local}.jsonld", "application/ld+json"),
        "search": (ours, "/search.json?q=export", "application/json"),
        "dump (N-Quads, gzip)": (ours, "/dumps/hkus.nq.gz", "*/*"),
        "health": (ours, "/health", "application/json"),
    }
    results: dict[str, list[load.Load]] = defaultdict(list)
    for _ in range(args.rounds):
        for name, (peer, path, accept) in pages.items():
            results[name].append(
                load.run(
                    peer.url, path, accept, distinct=False, seconds=args.seconds, connections=args.connections
                )
            )
    return results


def median(loads: list[load.Load]) -> load.Load:
    return load.Load(
        statistics.median(m.requests_per_s for m in loads),
        statistics.median(m.p50_ms for m in loads),
        statistics.median(m.p99_ms for m in loads),
        sum(m.errors for m in loads),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--project", type=Path, default=peers.ROOT, help="project directory (default: ours)")
    parser.add_argument("--label", default="the real graph", help="what the project is, for the report")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--output", type=Path, default=peers.ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    if not load.wrk_available():
        print("wrk is needed (Debian package wrk)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        data_dir, dump, default, entity, typical = prepare(args.project, work)
        targets = start_all(args.project, data_dir, dump, default, work)
        floor = peers.floor(work, workers=2, threads=48)
        try:
            time.sleep(1)
            cases = mix(entity)
            report.check_agreement(targets, cases)
            queries = {k: median(v) for k, v in measure_queries(targets, cases, args).items()}
            pages = {k: median(v) for k, v in measure_pages(targets[0], floor, typical, args).items()}
        finally:
            for peer in [*targets, floor]:
                peer.stop()
    report.write(args.output, args.label, [c.name for c in cases], queries, pages, args)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
