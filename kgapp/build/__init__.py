"""The build pipeline: parse → validate → reason → store → dumps → switch ``current`` → prune.

A content hash of the inputs (files, base IRI, pipeline code and library versions) names the
build; when the current build has the same hash the build is skipped. Validation failures and
inconsistencies stop the build before anything is written, so the previous build keeps serving.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import pyoxigraph as ox

from kgapp.build import incremental
from kgapp.build.compute import compute, graph_sizes, stage
from kgapp.build.directories import DataDirError, build_lock, check_build_dir, link_target, prune
from kgapp.build.progress import Progress, as_progress
from kgapp.build.state import BuildState
from kgapp.build.writing import write_build
from kgapp.config import Settings
from kgapp.loader import Project, discover
from kgapp.reasoning import DEFAULT_REASONER
from kgapp.store import BuildInfo, switch_current
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
    "dumps.py",
    "queries/disagreements.rq",
    "build",
    "validation",
    "reasoning",
)
LIBRARIES = ("rdflib", "pyshacl", "pyshacl-turbo", "owlrl", "pyoxigraph")
DCTERMS_SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")


@dataclass
class BuildOutcome:
    build_dir: Path
    info: BuildInfo
    skipped: bool
    report: ValidationReport | None = None


def pipeline_digest(settings: Settings) -> str:
    """Hash of what turns inputs into a build: base IRI, pipeline code, library versions."""
    digest = hashlib.sha256(settings.base_iri.encode())
    for name in PIPELINE_CODE:
        path = PACKAGE / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    for library in LIBRARIES:
        digest.update(f"{library}={metadata.version(library)}".encode())
    return digest.hexdigest()


def file_digests(settings: Settings) -> dict[str, str]:
    return {
        f.relative: hashlib.sha256(f.path.read_bytes()).hexdigest() for f in discover(settings.project_root)
    }


def input_hash(settings: Settings, files: dict[str, str] | None = None) -> str:
    """Hash of everything that determines a build's content."""
    digest = hashlib.sha256(pipeline_digest(settings).encode())
    for name, file_digest in sorted((files if files is not None else file_digests(settings)).items()):
        digest.update(f"{name}\0{file_digest}\0".encode())
    return digest.hexdigest()[:16]


def served_build(data_dir: Path, progress: Progress) -> Path | None:
    """The build being served, or None (said so when the link names a broken build)."""
    target = link_target(data_dir)
    if target is None:
        return None
    try:
        check_build_dir(target)
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
) -> BuildOutcome:
    """Build the store for the current inputs unless the current build already matches them;
    from the current build's state when only data files changed (see :mod:`.incremental`)."""
    say = as_progress(progress)
    data_dir = settings.data_path
    pipeline = pipeline_digest(settings)
    files = file_digests(settings)
    digest = input_hash(settings, files)
    current = served_build(data_dir, say)
    if current is not None and not force:
        info = BuildInfo.read(current)
        if info.input_hash == digest:
            say.say(f"inputs unchanged ({digest}); serving build of {info.built_at}")
            return BuildOutcome(current, info, skipped=True)

    with build_lock(data_dir):
        return _build(settings, pipeline, files, digest, current, force, say, validator, reasoner)


def _build(
    settings: Settings,
    pipeline: str,
    files: dict[str, str],
    digest: str,
    current: Path | None,
    force: bool,
    say: Progress,
    validator: str,
    reasoner: str,
) -> BuildOutcome:
    data_dir = settings.data_path
    timings: dict[str, float] = {}
    computed = None
    if current is not None and not force and reasoner == DEFAULT_REASONER:
        with stage("resume", timings, say):
            previous = BuildState.load(current)
            changes, why = (
                incremental.plan(previous, pipeline, files) if previous else (None, "no state kept")
            )
        if changes is not None and previous is not None:
            counts = f"{len(changes.changed)} changed, {len(changes.removed)} removed file(s)"
            say.say(f"updating build {current.name}: {counts}")
            computed = incremental.update(
                settings, previous, changes, files, validator=validator, progress=say, timings=timings
            )
        else:
            say.say(f"building from scratch: {why}")
    if computed is None:
        computed = compute(
            settings, files, pipeline, validator=validator, reasoner=reasoner, progress=say, timings=timings
        )
    for kind, count in sorted(computed.dropped.items()):
        say.say(f"  dropped {count} inferred triple(s): {kind}")
    ns = settings.namespaces
    project = computed.project
    meta_triples = meta(project)
    graphs = graph_sizes(computed, ns.inferred_graph) | {ns.meta_graph: len(meta_triples)}
    info = BuildInfo(
        input_hash=digest,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        base_iri=ns.base,
        input_files=[f.relative for f in project.files],
        graphs=graphs,
        asserted_triples=sum(n for iri, n in graphs.items() if iri != ns.inferred_graph),
        inferred_triples=graphs[ns.inferred_graph],
        conforms=True,
        warnings=len(computed.report.warnings),
        dropped_inferences=dict(computed.dropped),
        timings_s=timings,
        backends={"validate": validator, "reason": reasoner},
        incremental=computed.incremental,
    )
    base = current if computed.incremental else None
    build_dir = write_build(settings, digest, meta_triples, computed, info, timings, say, base)
    switch_current(data_dir, build_dir)
    for old in prune(data_dir, settings.keep_builds, build_dir):
        say.say(f"pruned old build {old.name}")
    say.say(
        f"built {info.asserted_triples} asserted + {info.inferred_triples} inferred triples in "
        f"{len(graphs)} graphs → {build_dir.name}"
    )
    return BuildOutcome(build_dir, info, skipped=False, report=computed.report)


def meta(project: Project) -> set[ox.Triple]:
    """Links each source graph to the document it holds the statements of."""
    return {
        ox.Triple(ox.NamedNode(graph), DCTERMS_SOURCE, ox.NamedNode(document))
        for graph, document in project.source_documents.items()
    }
