"""Versions benchmark: what reading the past costs, against reading the present, in one run.

    python -m bench.versions [--sizes real,1e5] [--commits 100] [--pages 30] [--output docs/benchmarks.md]

For each size a project is prepared (the real one, or ``kgapp generate`` at that many triples)
and built; then ``--commits`` one-triple commits are made through the writer, every version kept.
With the app in process (no response cache, so every answer is computed):

- distinct entity pages, each asked of the current version and of a retained past one
  (``/v/<n>/…``), interleaved, after one warm-up request on each side;
- a query on the endpoint, current against past, interleaved;
- resolving a TimeGate (``Accept-Datetime`` on an entity IRI, answered 302);
- the disk the retained versions take, hard links counted once, against one version's store.

Figures are medians; ratios are past ÷ current from the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote

from bench.build import disk_mib, prepare
from bench.build_report import publish

START, END = "<!-- bench.versions: start -->", "<!-- bench.versions: end -->"
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?class }"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


@dataclass
class SizeResult:
    label: str
    triples: int = 0
    page_ms: dict[str, list[float]] = field(default_factory=lambda: {"current": [], "past": []})
    query_ms: dict[str, list[float]] = field(default_factory=lambda: {"current": [], "past": []})
    timegate_ms: list[float] = field(default_factory=list)
    one_version_mib: float = 0.0
    retained_mib: float = 0.0
    retained: int = 0


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def commit_many(project: Path, count: int) -> None:
    """``count`` one-triple commits: a note added to one thing and taken out again, in turn."""
    import pyoxigraph as ox

    from kgapp.build import build
    from kgapp.commits.change import Change
    from kgapp.commits.writer import Writer
    from kgapp.config import load_settings
    from kgapp.store import EmbeddedStore

    settings = load_settings(
        overrides={"project_root": project, "data_dir": project / "var", "keep_versions": count + 1},
        environ={},
    )
    build(settings)
    store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
    sources = settings.namespaces.graph + "source/"
    row = store.select(
        f"SELECT ?s ?g {{ GRAPH ?g {{ ?s a ?t }} FILTER(STRSTARTS(STR(?g), '{sources}')) "
        f"FILTER(isIRI(?s)) }} LIMIT 1"
    )[0]
    subject, graph = row["s"], row["g"].value
    del store
    with Writer(settings) as writer:
        for number in range(count):
            note = ox.Triple(subject, ox.NamedNode(RDFS_COMMENT), ox.Literal("benchmark", language="en"))
            change = Change(added={graph: {note}}) if number % 2 == 0 else Change(removed={graph: {note}})
            writer.commit(change)


def measure(label: str, commits: int, pages: int, workdir: Path) -> SizeResult:
    from kgapp.app import create_app
    from kgapp.config import load_settings
    from kgapp.layout import current_build_dir, versions_root
    from kgapp.web.state import EXTENSION_KEY

    project = prepare(label, workdir / f"project-{label}")
    commit_many(project, commits)
    settings = load_settings(overrides={"project_root": project, "data_dir": project / "var"}, environ={})
    app = create_app(settings)
    state = app.extensions[EXTENSION_KEY]
    state.engine.start()
    client = app.test_client()
    result = SizeResult(label)
    current = current_build_dir(settings.data_path)
    assert current is not None
    result.one_version_mib = disk_mib(current / "store")
    result.retained_mib = disk_mib(versions_root(settings.data_path))
    result.retained = sum(1 for p in versions_root(settings.data_path).iterdir() if p.name.isdigit())
    store = state.store
    result.triples = store.info.asserted_triples + store.info.inferred_triples
    past = max(1, store.info.version - commits // 2)
    base = settings.namespaces.base
    things = f"SELECT DISTINCT ?s {{ ?s a ?t FILTER(STRSTARTS(STR(?s), '{base}id/')) }} LIMIT {pages + 1}"
    paths = [row["s"].value[len(base) - 1 :] for row in store.select(things)]
    warm, distinct = paths[0], paths[1:]
    for prefix in ("", f"/v/{past}"):  # the label tables and the like, once per version
        client.get(f"{prefix}{warm}.html")
        client.get(f"{prefix}/sparql?query={quote(COUNT_QUERY)}", headers={"Accept": "application/json"})

    def get(url: str, **headers: str) -> Callable[[], object]:
        return lambda: client.get(url, headers=headers)

    for path in distinct:
        result.page_ms["current"].append(timed(get(f"{path}.html")))
        result.page_ms["past"].append(timed(get(f"/v/{past}{path}.html")))
    query = f"/sparql?query={quote(COUNT_QUERY)}"
    for _ in range(pages):
        result.query_ms["current"].append(timed(get(query, Accept="application/json")))
        result.query_ms["past"].append(timed(get(f"/v/{past}{query}", Accept="application/json")))
    moment = format_datetime(datetime.now(UTC), usegmt=True)
    for path in distinct:
        result.timegate_ms.append(timed(get(path, **{"Accept-Datetime": moment})))
    state.engine.shutdown()
    return result


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def report(results: list[SizeResult], commits: int) -> str:
    lines = [
        "Generated by `python -m bench.versions`; do not edit by hand.",
        "",
        f"- run: {datetime.now(UTC):%Y-%m-%d}, Python {sys.version.split()[0]}; {commits} one-triple commits "
        "per size, every version kept; the app in process without its response cache; medians",
        "",
        "| size | triples | entity page: current ms | as of a past version ms | ratio | query: current ms "
        "| past ms | ratio | TimeGate ms | one version MiB | retained MiB | versions | disk ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        page = (median(r.page_ms["current"]), median(r.page_ms["past"]))
        query = (median(r.query_ms["current"]), median(r.query_ms["past"]))
        lines.append(
            f"| {r.label} | {r.triples:,} | {page[0]:.1f} | {page[1]:.1f} | {page[1] / page[0]:.2f}× "
            f"| {query[0]:.1f} | {query[1]:.1f} | {query[1] / query[0]:.2f}× | {median(r.timegate_ms):.2f} "
            f"| {r.one_version_mib:.1f} | {r.retained_mib:.1f} | {r.retained} "
            f"| {r.retained_mib / r.one_version_mib:.2f}× |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="real,1e5")
    parser.add_argument("--commits", type=int, default=100)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--output", type=Path, help="write the section here (default: print it)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kgapp-versions-") as tmp:
        results = [
            measure(label, args.commits, args.pages, Path(tmp)) for label in args.sizes.split(",") if label
        ]
    text = report(results, args.commits)
    return publish(text, args.output, START, END)


if __name__ == "__main__":
    sys.exit(main())
