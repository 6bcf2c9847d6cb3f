"""The reasoners considered for the build, measured once against owlrl on the same inputs.

    python -m bench.build_candidates [--sizes real,1e4,1e5] [--output docs/benchmarks.md]

Not a dependency of the project: run it in an environment that also has ``reasonable`` and
``owlrl-turbo`` installed (those missing are left out). Each reasoner runs in a fresh process
(peak resident memory of that process); its inferences, without noise, are compared with
owlrl's where owlrl finishes (completeness: how many of owlrl's it has, and how many it adds).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.build import ROOT, prepare

START, END = "<!-- bench.build_candidates: start -->", "<!-- bench.build_candidates: end -->"
CANDIDATES = ("rules", "owlrl", "owlrl-turbo", "reasonable")


def child(candidate: str, project: str, out: str) -> dict[str, float]:
    from rdflib import Graph

    from kgapp.loader import load_project
    from kgapp.namespaces import Namespaces
    from kgapp.rdflibterms import rdflib_graph, to_ox
    from kgapp.reasoning import infer, without_noise

    loaded = load_project(Path(project), Namespaces())
    ontology, data = loaded.graph_triples(loaded.namespaces.ontology_graph), loaded.data_triples()
    started = time.perf_counter()
    if candidate in ("rules", "owlrl"):
        inferred = infer(ontology, data, reasoner=candidate).inferred
    else:
        graph: Graph = rdflib_graph({*ontology, *data})
        if candidate == "owlrl-turbo":
            import owlrl_turbo

            closure = owlrl_turbo.expand(graph, inference="owlrl")
        else:
            import reasonable

            reasoner = reasonable.PyReasoner()
            reasoner.from_graph(graph)
            closure = reasoner.reason()
        asserted = set(graph)
        inferred, _ = without_noise(
            (to_ox(s), to_ox(p), to_ox(o)) for s, p, o in closure if (s, p, o) not in asserted
        )
    seconds = time.perf_counter() - started
    Path(out).write_text("\n".join(sorted(map(str, inferred))), encoding="utf-8")
    return {"seconds": seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run(candidate: str, project: Path, out: Path, timeout: float) -> dict[str, float] | None:
    command = [
        sys.executable,
        "-m",
        "bench.build_candidates",
        "--child",
        json.dumps([candidate, str(project), str(out)]),
    ]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode:
        if "ModuleNotFoundError" in done.stderr:
            return {"missing": 1.0}
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="real,1e4,1e5")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*json.loads(args.child))))
        return 0
    lines = [
        "| size | reasoner | seconds | peak MiB | owlrl's inferences it has | inferences owlrl has not |",
        "|---|---|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for label in args.sizes.split(","):
            project = prepare(label, Path(tmp) / f"project-{label}")
            results = {c: run(c, project, Path(tmp) / f"{label}-{c}.txt", args.timeout) for c in CANDIDATES}
            reference = results.get("owlrl")
            expected = set((Path(tmp) / f"{label}-owlrl.txt").read_text().splitlines()) if reference else None
            for candidate, result in results.items():
                if result is None:
                    lines.append(f"| {label} | {candidate} | > {args.timeout:.0f} | | | |")
                    continue
                if "missing" in result:
                    continue
                found = set((Path(tmp) / f"{label}-{candidate}.txt").read_text().splitlines())
                has = f"{len(found & expected):,} of {len(expected):,}" if expected is not None else "–"
                extra = f"{len(found - expected):,}" if expected is not None else "–"
                figures = f"{result['seconds']:.2f} | {result['peak_mib']:,.0f}"
                lines.append(f"| {label} | {candidate} | {figures} | {has} | {extra} |")
            shutil.rmtree(project)
            print(lines[-1], file=sys.stderr, flush=True)
    text = "\n".join(lines) + "\n"
    if args.output:
        current = args.output.read_text(encoding="utf-8")
        before, rest = current.split(START, 1)
        args.output.write_text(f"{before}{START}\n{text}{END}{rest.split(END, 1)[1]}", encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
