"""Build benchmark: per-stage time and peak memory, store size, at every size in one run.

    python -m bench.build [--sizes real,1e4,1e5,1e6] [--repeat 3] [--output docs/benchmarks.md]

For each size a project is prepared (the real one, or ``kgapp generate`` at that many triples),
then four builds run, each in a fresh process: from scratch, unchanged, one source file
changed (a triple added), and the same file changed back (the triple removed). A sampling
thread reads the build process's resident memory every 10 ms, so each stage gets its peak.
Then, in one process, ``--commits`` one-triple commits through the writer (added, then taken
out again), each timed until a new reader sees it; and the disk the retained versions take,
hard links counted once, against one version's store. Figures are medians over ``--repeat``
runs. The backends section compares the default engines with the reference ones on the same
inputs, runs interleaved.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.build_report import RUNS, STAGES, SizeResult, median, publish, report

ROOT = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE")
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
ADDED = '\n<{s}> <http://www.w3.org/2000/01/rdf-schema#comment> "A note added for the benchmark."@en .\n'


# The child: one build, measured --------------------------------------------------------------
class Sampler(threading.Thread):
    """Peak resident memory, overall and per stage (stages marked from the build's messages)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stage: str | None = None
        self.peaks: dict[str, int] = {}
        self.running = True

    @staticmethod
    def rss() -> int:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * PAGE

    def run(self) -> None:
        while self.running:
            if self.stage:
                self.peaks[self.stage] = max(self.peaks.get(self.stage, 0), self.rss())
            time.sleep(0.01)

    def message(self, text: str) -> None:
        name = text.rstrip("…")
        if text.endswith("…") and name in STAGES:
            self.stage = name
            self.peaks[name] = self.rss()
        elif self.stage and text.startswith(f"{self.stage}: done"):
            self.peaks[self.stage] = max(self.peaks[self.stage], self.rss())
            self.stage = None


def child(project: str, data_dir: str, force: bool, validator: str, reasoner: str) -> dict[str, Any]:
    from kgapp.build import build
    from kgapp.config import load_settings

    settings = load_settings(overrides={"project_root": project, "data_dir": data_dir}, environ={})
    sampler = Sampler()
    sampler.start()
    started = time.perf_counter()
    outcome = build(settings, force=force, progress=sampler.message, validator=validator, reasoner=reasoner)
    total = time.perf_counter() - started
    sampler.running = False
    import resource

    return {
        "total_s": total,
        "skipped": outcome.skipped,
        "kind": outcome.info.kind,
        "stages_s": {} if outcome.skipped else outcome.info.timings_s,
        "stage_peak_mib": {k: v / 2**20 for k, v in sampler.peaks.items()},
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "triples": outcome.info.asserted_triples + outcome.info.inferred_triples,
        "store_mib": disk_mib(outcome.build_dir / "store"),
    }


def disk_mib(*paths: Path) -> float:
    """Bytes on disk under ``paths``, each hard-linked file once (checkpoints share files)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for path in paths:
        for file in path.rglob("*") if path.exists() else []:
            status = file.lstat()
            if file.is_file() and (status.st_dev, status.st_ino) not in seen:
                seen.add((status.st_dev, status.st_ino))
                total += status.st_blocks * 512
    return total / 2**20


def commits_child(project: str, data_dir: str, subject: str, count: int) -> dict[str, Any]:
    """``count`` one-triple commits in one writer, alternately adding a triple to a source graph
    and taking it out; each timed from the change to a new reader's answer that holds it."""
    import pyoxigraph as ox

    from kgapp.commits.change import Change
    from kgapp.commits.writer import Writer
    from kgapp.config import load_settings
    from kgapp.layout import versions_root
    from kgapp.store import EmbeddedStore

    settings = load_settings(
        overrides={"project_root": project, "data_dir": data_dir, "keep_versions": count}, environ={}
    )
    ns = settings.namespaces
    store = EmbeddedStore.open_current(settings.data_path, ns)
    sources = ns.graph + "source/"
    query = (
        f"SELECT ?g {{ GRAPH ?g {{ <{subject}> ?p ?o }} FILTER(STRSTARTS(STR(?g), '{sources}')) }} LIMIT 1"
    )
    graph = store.select(query)[0]["g"].value
    before = disk_mib(store.build_dir / "store")
    del store
    times: list[float] = []
    with Writer(settings) as writer:
        writer.shape_context()  # compiled once per writer, as a server's writer would
        for i in range(count):
            triple = ox.Triple(
                ox.NamedNode(subject), ox.NamedNode(RDFS_COMMENT), ox.Literal("benchmark", language="en")
            )
            adding = i % 2 == 0
            change = Change(added={graph: {triple}}) if adding else Change(removed={graph: {triple}})
            started = time.perf_counter()
            writer.commit(change)
            reader = EmbeddedStore.open_current(settings.data_path, ns)
            seen = bool(reader.query(f"ASK {{ <{subject}> <{RDFS_COMMENT}> ?c }}"))
            times.append(time.perf_counter() - started)
            assert seen == adding, "a new reader did not see the commit"
            del reader
    versions = versions_root(settings.data_path)
    return {
        "commit_s": times,
        "one_version_mib": before,
        "retained_mib": disk_mib(versions),
        "retained": sum(1 for p in versions.iterdir() if p.name.isdigit()),
    }


def run_child(flag: str, arguments: list[Any]) -> dict[str, Any]:
    """Run this module with ``flag`` in a fresh process; its last line of output, as JSON."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.build", flag, json.dumps(arguments)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"{flag} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(
    project: Path,
    data_dir: Path,
    *,
    force: bool = False,
    validator: str = "pyshacl-turbo",
    reasoner: str = "rules",
) -> dict[str, Any]:
    """One build in a fresh process; its wall time includes starting Python and the imports."""
    started = time.perf_counter()
    result = run_child("--child", [str(project), str(data_dir), force, validator, reasoner])
    result["wall_s"] = time.perf_counter() - started
    return result


def measure_commits(project: Path, data_dir: Path, subject: str, count: int) -> dict[str, Any]:
    return run_child("--commits-child", [str(project), str(data_dir), subject, count])


# The parent: projects, runs, report ---------------------------------------------------------
def prepare(label: str, directory: Path) -> Path:
    if label == "real":
        for folder in ("ontology", "shapes", "graph"):
            shutil.copytree(ROOT / folder, directory / folder)
        return directory
    from kgapp.generate import generate

    return generate(int(float(label)), directory, seed=0).directory


def one_source(project: Path) -> tuple[Path, str]:
    """A source file to edit, and a subject it describes."""
    import pyoxigraph as ox

    path = sorted((project / "graph" / "sources").glob("*.ttl"))[
        len(list((project / "graph" / "sources").glob("*.ttl"))) // 2
    ]
    subject = next(
        q.subject.value
        for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)
        if isinstance(q.subject, ox.NamedNode) and "/id/" in q.subject.value
    )
    return path, subject


def bench_size(label: str, repeat: int, commits: int, workdir: Path) -> SizeResult:
    project = prepare(label, workdir / f"project-{label}")
    result = SizeResult(label, sum(1 for _ in (project / "graph").rglob("*.*")))
    source, subject = one_source(project)
    original = source.read_text(encoding="utf-8")
    for _ in range(repeat):
        data_dir = workdir / f"data-{label}"
        shutil.rmtree(data_dir, ignore_errors=True)
        steps = [measure(project, data_dir, force=True), measure(project, data_dir)]
        source.write_text(original + ADDED.format(s=subject), encoding="utf-8")
        steps.append(measure(project, data_dir))
        source.write_text(original, encoding="utf-8")
        steps.append(measure(project, data_dir))
        for run, step in zip(RUNS, steps, strict=True):
            result.runs.setdefault(run, []).append(step)
        print(f"{label}: " + ", ".join(f"{s['wall_s']:.2f} s" for s in steps), file=sys.stderr, flush=True)
        if commits:
            result.commits.append(measure_commits(project, data_dir, subject, commits))
    return result


def backends(label: str, repeat: int, workdir: Path) -> list[str]:
    """Default against reference engines on the same project, interleaved, medians."""
    project = workdir / f"project-{label}"
    pairs = [("pyshacl-turbo", "rules"), ("pyshacl", "rules"), ("pyshacl-turbo", "owlrl")]
    times: dict[tuple[str, str], list[dict[str, Any]]] = {p: [] for p in pairs}
    for _ in range(repeat):
        for validator, reasoner in pairs:
            data_dir = workdir / f"backend-{label}"
            shutil.rmtree(data_dir, ignore_errors=True)
            times[(validator, reasoner)].append(
                measure(project, data_dir, force=True, validator=validator, reasoner=reasoner)
            )
    validate = {
        v: median([s["stages_s"]["validate"] for s in times[(v, "rules")]])
        for v in ("pyshacl-turbo", "pyshacl")
    }
    reason = {
        r: median([s["stages_s"]["reason"] for s in times[("pyshacl-turbo", r)]]) for r in ("rules", "owlrl")
    }
    ours, theirs = validate["pyshacl-turbo"], validate["pyshacl"]
    return [
        f"| {label} | {ours:.2f} | {theirs:.2f} | {theirs / ours:.0f}× | "
        f"{reason['rules']:.2f} | {reason['owlrl']:.2f} | {reason['owlrl'] / reason['rules']:.0f}× |"
    ]


def calibration() -> float:
    """Seconds a fixed pure-Python loop takes on this machine now (the median of five)."""
    times = []
    for _ in range(5):
        started = time.perf_counter()
        sum(i * i for i in range(2_000_000))
        times.append(time.perf_counter() - started)
    return median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="real,1e4,1e5,1e6")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--commits", type=int, default=20, help="in-process commits per run (0: none)")
    parser.add_argument("--large-repeat", type=int, default=1, help="repeats at 1e6 triples and more")
    parser.add_argument("--backends", default="real,1e4", help="sizes to compare engines at ('' for none)")
    parser.add_argument("--output", type=Path, help="write the section here (default: print it)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--commits-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*json.loads(args.child))))
        return 0
    if args.commits_child:
        print(json.dumps(commits_child(*json.loads(args.commits_child))))
        return 0
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="kgapp-bench-") as tmp:
        workdir = Path(tmp)
        results = [
            bench_size(
                label,
                args.large_repeat if label != "real" and float(label) >= 1e6 else args.repeat,
                args.commits,
                workdir,
            )
            for label in args.sizes.split(",")
            if label
        ]
        rows = [
            row
            for label in args.backends.split(",")
            if label in args.sizes.split(",")
            for row in backends(label, args.repeat, workdir)
        ]
    text = report(results, rows, args.repeat, args.large_repeat, load_before, calibration())
    return publish(text, args.output)


if __name__ == "__main__":
    sys.exit(main())
