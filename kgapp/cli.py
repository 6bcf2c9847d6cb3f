"""The ``kgapp`` command: build, serve, query, validate, export. Each command imports what it
needs when it runs, so that ``kgapp build`` on unchanged inputs answers in a fraction of a second."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kgapp import backend
from kgapp.config import Settings, load_settings
from kgapp.engines import DEFAULT_REASONER, DEFAULT_VALIDATOR, REASONER_NAMES, VALIDATOR_NAMES
from kgapp.errors import KGError, NoBuild

# --format names of `kgapp query` (default first) and `kgapp export`; the registry resolves them.
RESULT_CHOICES = ("tsv", "json", "xml", "csv")
GRAPH_CHOICES = ("ttl", "nt", "jsonld", "rdf")
DATASET_CHOICES = ("trig", "nquads")


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _settings(args: argparse.Namespace, **overrides: Any) -> Settings:
    chosen = {k: v for k, v in overrides.items() if v is not None}
    return load_settings(config_file=args.config, overrides=chosen)


def cmd_build(args: argparse.Namespace) -> int:
    from kgapp.build import build
    from kgapp.progress import Progress

    project = Path(args.project).resolve() if args.project else None
    data_dir = (project / "var") if project and not args.data_dir else args.data_dir
    settings = _settings(args, project_root=project, data_dir=data_dir)
    backend.check_publishable(settings)
    outcome = build(
        settings,
        force=args.force,
        progress=Progress.for_stream(sys.stderr),
        validator=args.validator,
        reasoner=args.reasoner,
    )
    backend.publish(settings, outcome.build_dir, _progress)
    return 0


def _build_and_publish(settings: Settings, build: Any) -> None:
    """Build, and make the build the one the store serves."""
    backend.check_publishable(settings)
    outcome = build(settings, progress=_progress)
    backend.publish(settings, outcome.build_dir, _progress)


def _where(settings: Settings) -> str:
    return settings.remote_query_url if backend.is_remote(settings) else str(settings.data_path)


def cmd_generate(args: argparse.Namespace) -> int:
    from kgapp.generate import generate

    if args.triples < 1:
        raise KGError("--triples must be at least 1")
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        raise KGError(f"{out} is not empty: generate into a new directory")
    made = generate(args.triples, out, seed=args.seed)
    _progress(f"wrote {made.triples:,} triples in {made.files:,} files ({made.blocks:,} blocks) to {out}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from kgapp.build import build
    from kgapp.server import serve

    settings = _settings(
        args, host=args.host, port=args.port, web_threads=args.threads, web_workers=args.workers
    )
    if not args.no_build:
        try:
            _build_and_publish(settings, build)
        except KGError as exc:
            if not backend.has_build(settings):
                raise
            detail = f" ({exc.private})" if exc.private else ""
            _progress(f"build failed; serving the previous build\n{exc.message}{detail}")
    elif not backend.has_build(settings):
        raise NoBuild(f"no build in {_where(settings)}: run 'kgapp build' first")
    _progress(f"serving on http://{settings.host}:{settings.port}/ (SPARQL at /sparql)")
    serve(settings, config_file=args.config)
    return 0


def _read_query(args: argparse.Namespace) -> str:
    if args.file:
        return Path(args.file).read_text(encoding="utf-8")
    if args.query == "-" or args.query is None:
        return sys.stdin.read()
    return str(args.query)


def cmd_query(args: argparse.Namespace) -> int:
    import pyoxigraph as ox

    from kgapp.dataset import DatasetRequest
    from kgapp.formats import RDF_GRAPH_FORMATS, SOLUTION_FORMATS, TSV, TURTLE, by_name, serialize_graph

    settings = _settings(args)
    store = backend.open_current(settings).get()
    dataset = DatasetRequest(inference=not args.no_inference)
    try:
        results = store.query(_read_query(args), dataset=dataset)
    except SyntaxError as exc:
        raise KGError(f"malformed query: {exc}") from None
    out = sys.stdout.buffer
    if not isinstance(results, ox.QuerySolutions | ox.QueryBoolean):
        fmt = by_name(args.format or TURTLE.suffix, RDF_GRAPH_FORMATS)
        if fmt is None or fmt.is_dataset:
            raise KGError(f"--format {args.format} is for SELECT/ASK; use one of {', '.join(GRAPH_CHOICES)}")
        out.write(serialize_graph(results, fmt, settings.namespaces.prefixes))
    else:
        chosen = by_name(args.format or TSV.suffix, SOLUTION_FORMATS)
        if chosen is None or chosen.results is None:
            raise KGError(
                f"--format {args.format} is for CONSTRUCT/DESCRIBE; use one of {', '.join(RESULT_CHOICES)}"
            )
        out.write(results.serialize(format=chosen.results) or b"")
    out.flush()
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from kgapp.validation import validate_files

    settings = _settings(args)
    report = validate_files(
        [Path(f) for f in args.files], settings.project_root, settings.namespaces, validator=args.validator
    )
    print(report.text())
    return 0 if report.conforms else 1


def cmd_fold(args: argparse.Namespace) -> int:
    """Fold the writes kept under graph/patches/ into the project's RDF files."""
    from kgapp.commits.directories import writer_lock
    from kgapp.fold import fold

    settings = _settings(args)
    with writer_lock(settings.data_path, wait_s=10.0):  # no write may add a patch meanwhile
        folded = fold(settings.project_root, settings.namespaces, rewrite=args.rewrite, dry_run=args.dry_run)
    if folded.empty:
        _progress("no patch to fold: graph/patches/ holds no write")
        return 0
    for line in folded.summary():
        _progress(("would " if args.dry_run else "") + line)
    if not args.dry_run:
        _progress(f"folded {len(folded.patches)} write(s); the next build reads the files alone")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    import pyoxigraph as ox

    from kgapp.formats import N_QUADS, TRIG, by_name

    settings = _settings(args)
    store = backend.open_current(settings).get()
    fmt = (by_name(args.format, (TRIG, N_QUADS)) or TRIG).rdf
    if args.output:
        with open(args.output, "wb") as handle:
            ox.serialize(store.quads(), handle, format=fmt)
        _progress(f"wrote {len(store)} quads to {args.output}")
    else:
        ox.serialize(store.quads(), sys.stdout.buffer, format=fmt)
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    """A new write token, and the entry that lets it write (its hash, for a configuration file)."""
    from kgapp.tokens import hashed, new_token, parse_tokens

    token = new_token()
    entry = f"{args.name}:{args.scope}:{hashed(token)}"
    parse_tokens(entry, origin="kgapp token", plain_allowed=False)  # a name or scope we would refuse
    print(f"token (give it to {args.name}; it is shown once): {token}")
    print(f'configuration entry: write_tokens = ["{entry}"]')
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="kgapp", description=__doc__)
    main.add_argument("--config", help="TOML settings file (default: $KGAPP_CONFIG)")
    commands = main.add_subparsers(dest="command", required=True)

    p = commands.add_parser("build", help="parse, validate, reason and write the store")
    p.add_argument("--force", action="store_true", help="rebuild even when the inputs are unchanged")
    p.add_argument("--project", help="build this project directory (its data goes to DIR/var)")
    p.add_argument("--data-dir", help="where to write the builds (default: the data_dir setting)")
    p.add_argument("--validator", choices=VALIDATOR_NAMES, default=DEFAULT_VALIDATOR, help="SHACL engine")
    p.add_argument("--reasoner", choices=REASONER_NAMES, default=DEFAULT_REASONER, help="OWL 2 RL engine")
    p.set_defaults(run=cmd_build)

    p = commands.add_parser("generate", help="write a project directory with a graph of our shape")
    p.add_argument("--triples", type=int, required=True, help="about how many instance triples")
    p.add_argument("--out", required=True, help="the directory to create")
    p.add_argument("--seed", type=int, default=0, help="the same seed gives the same graph")
    p.set_defaults(run=cmd_generate)

    p = commands.add_parser("serve", help="build if needed, then serve the app")
    p.add_argument("--host", help="interface to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 8000)")
    p.add_argument("--threads", type=int, help="threads per web process (default 48)")
    p.add_argument("--workers", type=int, help="web processes (default 2)")
    p.add_argument("--no-build", action="store_true", help="serve the current build as it is")
    p.set_defaults(run=cmd_serve)

    p = commands.add_parser("query", help="run SPARQL against the built store")
    p.add_argument("query", nargs="?", help="the query text, or - for standard input")
    p.add_argument("-f", "--file", help="read the query from a file")
    p.add_argument(
        "--format",
        choices=[*RESULT_CHOICES, *GRAPH_CHOICES],
        help="tsv (default for SELECT/ASK), json, xml, csv; "
        "ttl (default for CONSTRUCT/DESCRIBE), nt, jsonld, rdf",
    )
    p.add_argument("--no-inference", action="store_true", help="leave the inferred graph out")
    p.set_defaults(run=cmd_query)

    p = commands.add_parser("validate", help="validate data files against the shapes")
    p.add_argument("files", nargs="+", help="RDF files (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD)")
    p.add_argument("--validator", choices=VALIDATOR_NAMES, default=DEFAULT_VALIDATOR, help="SHACL engine")
    p.set_defaults(run=cmd_validate)

    p = commands.add_parser("fold", help="fold the writes kept as patch files into the RDF files")
    p.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")
    p.add_argument(
        "--rewrite",
        action="store_true",
        help="write again the files statements are taken out of (their comments and layout are lost)",
    )
    p.set_defaults(run=cmd_fold)

    p = commands.add_parser("export", help="the whole dataset as TriG or N-Quads")
    p.add_argument("--format", choices=list(DATASET_CHOICES), default="trig")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(run=cmd_export)

    p = commands.add_parser("token", help="make a write token and the configuration entry for it")
    p.add_argument("name", help="who writes with it: the versions it commits are credited to this name")
    p.add_argument("--scope", default="*", help="'*' (every graph) or graph IRIs joined by '|'")
    p.set_defaults(run=cmd_token)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        return int(args.run(args))
    except KGError as exc:
        detail = f" ({exc.private})" if exc.private else ""
        print(f"kgapp {args.command}: {exc.message}{detail}", file=sys.stderr)
        return 2 if isinstance(exc, NoBuild) else 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
