"""``kgapp build``: the input files made into the version served.

- Nothing changed (every file's digest, the base IRI, the pipeline code and libraries as the
  served version records them): nothing is written.
- Data files changed: the edits are one commit (:mod:`kgapp.commits`), validated, reasoned and
  stored by delta; its cost follows the edit, not the graph.
- The ontology, the shapes or the pipeline changed, or there is no version yet, or ``--force``:
  a whole build (parse, validate, saturate, load), made the next version.

Validation failures and inconsistencies refuse the change before anything is written, so the
previous version keeps serving.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path

from kgapp.build.compute import compute
from kgapp.build.files import InputSet, changed_files, digests, file_change, read_inputs
from kgapp.commits import inputs
from kgapp.commits.change import NeedsWholeBuild
from kgapp.commits.directories import DataDirError, check_version_dir, link_target
from kgapp.commits.versionfiles import Made, Whole, read_files
from kgapp.commits.writer import Writer
from kgapp.config import Settings
from kgapp.progress import Progress, as_progress
from kgapp.reasoning import DEFAULT_REASONER
from kgapp.store import BuildInfo
from kgapp.validation import DEFAULT_VALIDATOR, ValidationReport

__all__ = ["BuildOutcome", "DataDirError", "build", "input_hash"]

PACKAGE = Path(__file__).resolve().parent.parent
PIPELINE_CODE = (
    "loader.py",
    "rdfterms.py",
    "namespaces.py",
    "store.py",
    "formats.py",
    "disagreements.py",
    "queries/disagreements.rq",
    "build",
    "commits",
    "validation",
    "reasoning",
)
LIBRARIES = ("rdflib", "pyshacl", "pyshacl-turbo", "owlrl", "pyoxigraph")


@dataclass
class BuildOutcome:
    build_dir: Path
    info: BuildInfo
    skipped: bool
    report: ValidationReport | None = None


def pipeline_digest(settings: Settings) -> str:
    """Hash of what turns inputs into a version: base IRI, pipeline code, library versions."""
    digest = hashlib.sha256(settings.base_iri.encode())
    for name in PIPELINE_CODE:
        path = PACKAGE / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    for library in LIBRARIES:
        digest.update(f"{library}={metadata.version(library)}".encode())
    return digest.hexdigest()


def input_hash(pipeline: str, files: dict[str, str]) -> str:
    """Hash of everything that determines a version's content."""
    digest = hashlib.sha256(pipeline.encode())
    for name, file_digest in sorted(files.items()):
        digest.update(f"{name}\0{file_digest}\0".encode())
    return digest.hexdigest()[:16]


def served_version(data_dir: Path, progress: Progress) -> Path | None:
    """The version being served, or None (said so when the link names a broken one)."""
    target = link_target(data_dir)
    if target is None:
        return None
    try:
        check_version_dir(target)
    except DataDirError as exc:
        progress.say(f"{exc.message}\nBuilding from scratch.")
        return None
    return target


def build(
    settings: Settings,
    *,
    force: bool = False,
    progress: Progress | Callable[[str], None] | None = None,
    validator: str = DEFAULT_VALIDATOR,
    reasoner: str = DEFAULT_REASONER,
    agent: str = "",
    message: str = "",
) -> BuildOutcome:
    """Make the files as they are the version served, unless it already is (nothing written)."""
    say = as_progress(progress)
    pipeline = pipeline_digest(settings)
    current = served_version(settings.data_path, say)
    found = read_inputs(settings.project_root, read_files(current) if current else {})
    digest = input_hash(pipeline, digests(found))
    if current is not None and not force:
        info = BuildInfo.read(current)
        if info.input_hash == digest:
            say.say(f"inputs unchanged ({digest}); serving version {info.version} of {info.built_at}")
            return BuildOutcome(current, info, skipped=True)
    with Writer(settings, say) as writer:
        made = _make(
            writer, settings, found, pipeline, digest, force, say, validator, reasoner, agent, message
        )
    return BuildOutcome(made.directory, made.info, skipped=not made.changed, report=made.report)


def _make(
    writer: Writer,
    settings: Settings,
    found: InputSet,
    pipeline: str,
    digest: str,
    force: bool,
    say: Progress,
    validator: str,
    reasoner: str,
    agent: str,
    message: str,
) -> Made:
    timings: dict[str, float] = {}
    why = _why_whole(writer, pipeline, force, validator, reasoner)
    if why is None:
        try:
            return _commit(writer, settings, found, digest, say, agent, message, timings)
        except NeedsWholeBuild as exc:
            why = str(exc)
    say.say(f"building the whole graph: {why}")
    return _whole(
        writer, settings, found, pipeline, digest, say, validator, reasoner, agent, message, timings
    )


def _why_whole(writer: Writer, pipeline: str, force: bool, validator: str, reasoner: str) -> str | None:
    info = writer.current_info()
    if info is None:
        return "there is no version yet"
    if force:
        return "asked to (--force)"
    if info.pipeline != pipeline:
        return "the pipeline code, libraries or base IRI changed"
    if (validator, reasoner) != (DEFAULT_VALIDATOR, DEFAULT_REASONER):
        return f"the reference engines were asked for ({validator}, {reasoner})"
    if info.backends != {"validate": DEFAULT_VALIDATOR, "reason": DEFAULT_REASONER}:
        return "the served version was made with the reference engines"
    return None


def _commit(
    writer: Writer,
    settings: Settings,
    found: InputSet,
    digest: str,
    say: Progress,
    agent: str,
    message: str,
    timings: dict[str, float],
) -> Made:
    assert writer.live is not None
    previous = writer.current_files()
    changed, removed = changed_files(previous, found)
    with say.stage("diff", timings):
        change = file_change(
            found, previous, changed, removed, writer.live, settings.data_path, settings.namespaces
        )
    change.agent = agent or "kgapp build"
    change.message = message or _files_message(changed, removed, previous)
    counts = change.counts()
    say.say(
        f"committing {len(changed)} changed and {len(removed)} removed file(s): "
        f"{counts['removed']} triple(s) out, {counts['added']} in"
    )
    return writer.commit(change, input_hash=digest, timings=timings)


def _files_message(changed: list[str], removed: list[str], previous: Mapping[str, object]) -> str:
    parts = [("edited " if name in previous else "added ") + name for name in changed]
    parts += ["removed " + name for name in removed]
    return "; ".join(parts)


def _whole(
    writer: Writer,
    settings: Settings,
    found: InputSet,
    pipeline: str,
    digest: str,
    say: Progress,
    validator: str,
    reasoner: str,
    agent: str,
    message: str,
    timings: dict[str, float],
) -> Made:
    ns = settings.namespaces
    computed = compute(
        settings.project_root, ns, validator=validator, reasoner=reasoner, progress=say, timings=timings
    )
    for kind, count in sorted(computed.dropped.items()):
        say.say(f"  dropped {count} inferred triple(s) from view: {kind}")
    project = computed.project
    records = {
        name: replace(record, graph=project.file_graph[name]) for name, record in found.records.items()
    }
    with say.stage("inputs", timings):
        for name, record in records.items():
            inputs.keep(settings.data_path, record.digest, found.text(name))
    whole = Whole(
        named=computed.named_graphs(ns),
        inferred=computed.inferred,
        entailed=computed.entailed,
        described={n: {t.subject for t in ts} for n, ts in project.file_triples.items()},  # type: ignore[misc]
        report=computed.report,
        dropped=computed.dropped,
        files=records,
        backends={"validate": validator, "reason": reasoner},
    )
    made = writer.write_whole(
        whole,
        input_hash=digest,
        pipeline=pipeline,
        agent=agent or "kgapp build",
        message=message or "whole build",
        timings=timings,
    )
    info = made.info
    say.say(
        f"built {info.asserted_triples} asserted + {info.inferred_triples} inferred triples in "
        f"{len(info.graphs)} graphs → version {info.version}"
    )
    return made
