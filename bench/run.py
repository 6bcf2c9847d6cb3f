"""Store benchmark: pyoxigraph (the serving store) against rdflib's in-memory SPARQL, same data,
same queries, same run. Results are ratios, written to docs/benchmark.md.

    python -m bench.run [--scale 1,10] [--repeat 5] [--output docs/benchmark.md]

Each engine answers every named query of the project (examples and page queries) over the
built dataset, and over copies of it scaled up by renaming every IRI under our base (so the
shape of the data stays, only its size grows). Row counts must agree between engines. Peak
memory is measured in a fresh process per engine (resident set size, which sees Rust
allocations that tracemalloc cannot).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from importlib import metadata
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from kgapp import queries
from kgapp.build import build
from kgapp.commits.served import served_quads
from kgapp.config import Settings, load_settings
from kgapp.dataset import DEFAULT_DATASET, engine_arguments, select_graphs
from kgapp.namespaces import Namespaces
from kgapp.store import EmbeddedStore, KnowledgeStore

ROOT = Path(__file__).resolve().parent.parent
ASSERTED = Namespaces().asserted_graph


@dataclass
class Timing:
    query: str
    scale: int
    triples: int
    oxigraph_ms: float
    rdflib_ms: float
    rows: int

    @property
    def ratio(self) -> float:
        return self.rdflib_ms / self.oxigraph_ms if self.oxigraph_ms else float("inf")


def benchmark_queries() -> dict[str, str]:
    """Every named query that runs without bindings: the analyst examples and the site queries."""
    names = [*queries.names("examples"), "class_counts", "source_list"]
    return {name: queries.load(name) for name in names}


def scaled_nquads(store: KnowledgeStore, scale: int, base: str) -> bytes:
    """The dataset repeated ``scale`` times, copy k's IRIs under the base suffixed with ``-k``."""
    original = ox.serialize(store.quads(), format=ox.RdfFormat.N_QUADS) or b""
    if scale == 1:
        return original
    text = original.decode("utf-8")
    copies = [text]
    for k in range(1, scale):
        copies.append(_rename(text, base, k))
    return "".join(copies).encode("utf-8")


def _rename(nquads: str, base: str, k: int) -> str:
    """Suffix every entity IRI under ``base``/id/ so each copy describes distinct entities."""
    prefix = f"<{base}id/"
    out = []
    for line in nquads.splitlines(keepends=True):
        parts = line.split(prefix)
        renamed = parts[0]
        for part in parts[1:]:
            local, _, rest = part.partition(">")
            renamed += f"{prefix}{local}-c{k}>{rest}"
        out.append(renamed)
    return "".join(out)


def load_engines(
    nquads: bytes, directory: Path, settings: Settings, graph_names: list[str]
) -> tuple[ox.Store, Dataset]:
    """Both engines on the same quads, prepared as each serves best: pyoxigraph with its default
    graph materialized at load time, as a build does; rdflib's union of the graphs, both leaving
    the shapes out as the endpoint does."""
    ns = settings.namespaces
    named: dict[str, set[ox.Triple]] = {g: set() for g in graph_names if g != ns.inferred_graph}
    inferred: set[ox.Triple] = set()
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
        if graph == ns.inferred_graph:
            inferred.add(quad.triple)
        else:
            named.setdefault(graph, set()).add(quad.triple)
    written = ox.Store(str(directory / "store"))
    written.bulk_extend(served_quads(named, inferred, (), {}, ns))
    written.flush()
    del written
    oxi = ox.Store.read_only(str(directory / "store"))
    shapes_suffix = f"<{settings.namespaces.shapes_graph}> .".encode()
    without_shapes = b"\n".join(
        line for line in nquads.splitlines() if not line.rstrip().endswith(shapes_suffix)
    )
    dataset = Dataset(default_union=True)
    dataset.parse(data=without_shapes, format="nquads")
    for prefix, iri in settings.namespaces.prefixes.items():
        dataset.bind(prefix, iri)
    return oxi, dataset


def median_ms(run: Callable[[], int], repeat: int) -> tuple[float, int]:
    samples, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), rows


def run_oxigraph(store: ox.Store, query: str, prologue: str, graphs: list[str]) -> int:
    selection = select_graphs(DEFAULT_DATASET, query, graphs, ASSERTED)
    result = store.query(prologue + query, **engine_arguments(selection))
    return sum(1 for _ in result) if not isinstance(result, ox.QueryBoolean) else 1


def run_rdflib(dataset: Dataset, query: str, prologue: str) -> int:
    with warnings.catch_warnings():  # rdflib's SPARQL engine calls its own deprecated Dataset API
        warnings.simplefilter("ignore", DeprecationWarning)
        return len(list(dataset.query(prologue + query)))


def time_queries(
    oxi: ox.Store,
    dataset: Dataset,
    scale: int,
    prologue: str,
    graphs: list[str],
    repeat: int,
) -> list[Timing]:
    timings = []
    for name, text in benchmark_queries().items():
        ox_ms, ox_rows = median_ms(partial(run_oxigraph, oxi, text, prologue, graphs), repeat)
        rdf_ms, rdf_rows = median_ms(partial(run_rdflib, dataset, text, prologue), repeat)
        if ox_rows != rdf_rows:
            print(f"  ! {name} at ×{scale}: {ox_rows} rows (pyoxigraph) vs {rdf_rows} (rdflib)")
        timings.append(Timing(name, scale, len(oxi), ox_ms, rdf_ms, ox_rows))
        print(f"  ×{scale} {name}: pyoxigraph {ox_ms:.1f} ms, rdflib {rdf_ms:.1f} ms")
    return timings


def measure(settings: Settings, scales: list[int], repeat: int) -> list[Timing]:
    store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
    prologue = settings.namespaces.sparql_prologue()
    graphs = store.graph_names()
    timings = []
    for scale in scales:
        nquads = scaled_nquads(store, scale, settings.namespaces.base)
        with tempfile.TemporaryDirectory() as directory:
            oxi, dataset = load_engines(nquads, Path(directory), settings, store.graph_names())
            timings += time_queries(oxi, dataset, scale, prologue, graphs, repeat)
    return timings


MEMORY_PROBE = """
import gc, sys, pyoxigraph as ox, rdflib, tempfile

def resident_kib():
    with open('/proc/self/status') as status:
        return next(int(line.split()[1]) for line in status if line.startswith('VmRSS:'))

data = open(sys.argv[2], 'rb').read()
count = 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }'
gc.collect()
before = resident_kib()
with tempfile.TemporaryDirectory() as d:
    if sys.argv[1] == 'oxigraph':
        engine = ox.Store(d); engine.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        list(engine.query(count))
    else:
        engine = rdflib.Dataset(default_union=True); engine.parse(data=data, format='nquads')
        list(engine.query(count))
    gc.collect()
    print(resident_kib() - before)
"""


def resident_growth_kib(settings: Settings, scale: int) -> dict[str, int]:
    """Resident memory a fresh process holds after loading and counting the data, over what it
    held after reading the bytes (Linux /proc; pyoxigraph keeps its store on disk)."""
    store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
    with tempfile.NamedTemporaryFile(suffix=".nq") as handle:
        handle.write(scaled_nquads(store, scale, settings.namespaces.base))
        handle.flush()
        return {engine: _probe(engine, handle.name) for engine in ("oxigraph", "rdflib")}


def _probe(engine: str, path: str) -> int:
    completed = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, engine, path], check=True, capture_output=True, text=True
    )
    return max(int(completed.stdout.strip()), 0)


def report(timings: list[Timing], memory: dict[int, dict[str, int]], repeat: int) -> str:
    lines = [
        "# Benchmark: serving store",
        "",
        "Generated by `python -m bench.run` (`make bench`); do not edit by hand.",
        "",
        f"- run: {datetime.now(UTC).strftime('%Y-%m-%d')}, Python {platform.python_version()}, "
        f"{platform.machine()}, pyoxigraph {metadata.version('pyoxigraph')}, "
        f"rdflib {metadata.version('rdflib')}",
        f"- each figure is the median of {repeat} runs of the same query on the same data in the "
        "same process; ratio = rdflib time / pyoxigraph time (higher favours pyoxigraph)",
        "- data: the built dataset (every graph but the shapes as the default graph), and copies "
        "scaled up by renaming entity IRIs",
        "",
    ]
    for scale in sorted({t.scale for t in timings}):
        rows = [t for t in timings if t.scale == scale]
        ratios = [t.ratio for t in rows]
        lines += [
            f"## Scale ×{scale} ({rows[0].triples} quads)",
            "",
            f"Geometric mean ratio: **{statistics.geometric_mean(ratios):.1f}×**; "
            f"range {min(ratios):.1f}× – {max(ratios):.1f}×.",
            "",
            "| query | rows | pyoxigraph ms | rdflib ms | ratio |",
            "|---|---:|---:|---:|---:|",
        ]
        for t in rows:
            lines.append(
                f"| `{t.query}` | {t.rows} | {t.oxigraph_ms:.2f} | {t.rdflib_ms:.2f} | {t.ratio:.1f}× |"
            )
        lines.append("")
    lines += [
        "## Memory",
        "",
        "Resident memory a fresh process holds once it has loaded and counted the N-Quads, over "
        "what it held after reading the bytes (pyoxigraph keeps its store on disk, with caches).",
        "",
    ]
    lines += ["| scale | pyoxigraph MiB | rdflib MiB | ratio |", "|---|---:|---:|---:|"]
    for scale, mem in sorted(memory.items()):
        ox_mib, rdf_mib = mem["oxigraph"] / 1024, mem["rdflib"] / 1024
        ratio = f"{rdf_mib / ox_mib:.1f}×" if ox_mib >= 1 else "n/a (below 1 MiB)"
        lines.append(f"| ×{scale} | {ox_mib:.1f} | {rdf_mib:.1f} | {ratio} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--scale", default="1,10", help="comma-separated scale factors")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--memory-scale", type=int, default=100, help="extra scale for memory only")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmark.md"))
    parser.add_argument("--project", default=str(ROOT), help="project root holding the data folders")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scale.split(",")]
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(
            overrides={"project_root": Path(args.project), "data_dir": data_dir}, environ={}
        )
        build(settings)
        timings = measure(settings, scales, args.repeat)
        memory = {scale: resident_growth_kib(settings, scale) for scale in [*scales, args.memory_scale]}
    Path(args.output).write_text(report(timings, memory, args.repeat), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
