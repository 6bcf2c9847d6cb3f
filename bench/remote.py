"""What serving from a remote store costs: ``python -m bench.remote [--seconds S] [--rounds N]``.

For each real store the tests start (``oxigraph serve`` and Virtuoso 7, see ``tests/stores.py``),
the build is written into it with ``kgapp build``, then the query mix of the serving benchmark
(``bench/queries/``) is measured with wrk, interleaved within each round, median of the rounds:

- the store itself, asked as the app asks it (the same dataset parameters);
- the app on that store (``store_backend = remote``): the same query through our endpoint,
  its refusals, caps and answer writer;
- the app on its embedded store, for scale.

The ratio app ÷ store is the overhead a deployment on that store pays; results go to a section
of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode

from bench.serving import load, peers
from bench.serving.run import Case, mix, prepare
from tests.stores import StoreServer, oxigraph_server, publish, virtuoso_server

SECTION = "## Serving from a remote store"
DEFAULT_GRAPH = "https://w3id.org/hkus/graph/default"
PREFIXES = {
    "hkus": "https://w3id.org/hkus/ontology/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "id": "https://w3id.org/hkus/id/",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def app_on(store: StoreServer, data_dir: Path, work: Path) -> peers.Peer:
    """``kgapp serve`` on the build the store holds."""
    port = peers.free_port()
    environment = {
        "KGAPP_PROJECT_ROOT": str(peers.ROOT),
        "KGAPP_DATA_DIR": str(data_dir),
        "KGAPP_LOG_LEVEL": "WARNING",
        **{f"KGAPP_{k.upper()}": v for k, v in store.settings.items()},
    }
    command = [sys.executable, "-m", "kgapp.cli", "serve", "--no-build", "--port", str(port)]
    return peers._start(f"ours-on-{store.name}", command, "/health", port, "/sparql", work, **environment)


def as_the_app_asks(case: Case) -> str:
    """The query text with the prefixes it uses declared, as the app sends it to a store."""
    used = sorted(p for p in PREFIXES if re.search(rf"\b{p}:", case.text) and f"PREFIX {p}:" not in case.text)
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}> " for p in used) + case.text


def measure(
    targets: dict[str, tuple[str, str]], cases: list[Case], args: argparse.Namespace
) -> dict[tuple[str, str, str], float]:
    """targets: name → (base URL, path template taking the encoded query)."""
    results: dict[tuple[str, str, str], list[load.Load]] = defaultdict(list)
    names = list(targets)
    for round_number in range(args.rounds):
        for case in cases:
            for mode in ("repeated", "distinct"):
                for name in names if round_number % 2 == 0 else reversed(names):
                    url, template = targets[name]
                    text = as_the_app_asks(case) if name.endswith("itself") else case.text
                    path = template.format(query=quote(text, safe=""))
                    measured = load.run(
                        url,
                        path,
                        case.accept,
                        distinct=mode == "distinct",
                        seconds=args.seconds,
                        connections=8,
                    )
                    results[(case.name, mode, name)].append(measured)
                    print(
                        f"  round {round_number + 1} {case.name} {mode} {name}: "
                        f"{measured.requests_per_s:.0f}/s"
                    )
    return {k: statistics.median(m.requests_per_s for m in v) for k, v in results.items()}


def geometric_mean(values: list[float]) -> float:
    product = 1.0
    for value in values:
        product *= value
    return product ** (1 / len(values)) if values else 0.0


def table(store: str, rates: dict[tuple[str, str, str], float], cases: list[Case]) -> list[str]:
    lines = [
        f"### {store}",
        "",
        "| query | mode | store itself (req/s) | ours on the store (req/s) | ours ÷ store "
        "| ours embedded (req/s) |",
        "|---|---|---|---|---|---|",
    ]
    ratios: dict[str, list[float]] = defaultdict(list)
    for case in cases:
        for mode in ("repeated", "distinct"):
            a, b, c = (
                rates[(case.name, mode, n)] for n in (f"{store} itself", f"ours on {store}", "ours embedded")
            )
            ratios[mode].append(b / a if a else 0.0)
            lines.append(f"| {case.name} | {mode} | {a:.0f} | {b:.0f} | {b / a:.2f}× | {c:.0f} |")
    lines.append("")
    for mode, values in ratios.items():
        lines.append(f"- {mode} texts: geometric mean of ours ÷ store **{geometric_mean(values):.2f}×**")
    return [*lines, ""]


def write(output: Path, sections: list[str], args: argparse.Namespace) -> None:
    intro = [
        SECTION,
        "",
        "`python -m bench.remote`: the query mix against each real store, against the app serving",
        "from that store (`store_backend = remote`) and against the app on its embedded store;",
        f"wrk, 8 connections, {args.seconds:g} s per measurement, {args.rounds} rounds interleaved,",
        "medians. The store is asked as the app asks it (its default graph named, prefixes declared).",
        "",
    ]
    text = output.read_text(encoding="utf-8") if output.exists() else ""
    body = "\n".join([*intro, *sections]).rstrip() + "\n"
    start = text.find(SECTION)
    if start == -1:
        text = text.rstrip() + "\n\n" + body
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + body + (text[end + 1 :] if end != -1 else "")
    output.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stores", default="oxigraph,virtuoso")
    parser.add_argument("--output", type=Path, default=peers.ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    if not load.wrk_available():
        print("wrk is needed (Debian package wrk)", file=sys.stderr)
        return 2
    sections = []
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        data_dir, _dump, _default, entity, _typical = prepare(peers.ROOT, work)
        cases = mix(entity)
        embedded = peers.ours(data_dir, peers.ROOT, work)
        try:
            for name in args.stores.split(","):
                store = (oxigraph_server if name == "oxigraph" else virtuoso_server)(work / name)
                store.start()
                written = publish(store, peers.ROOT, data_dir)
                if written.returncode != 0:
                    raise RuntimeError(written.stderr)
                app = app_on(store, data_dir, work)
                try:
                    dataset = urlencode({"default-graph-uri": DEFAULT_GRAPH})
                    base, _, store_path = store.query_url.partition("//")[2].partition("/")
                    targets = {
                        f"{name} itself": (f"http://{base}", f"/{store_path}?{dataset}&query={{query}}"),
                        f"ours on {name}": (app.url, "/sparql?query={query}"),
                        "ours embedded": (embedded.url, "/sparql?query={query}"),
                    }
                    sections += table(name, measure(targets, cases, args), cases)
                finally:
                    app.stop()
                    store.stop()
        finally:
            embedded.stop()
    write(args.output, sections, args)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
