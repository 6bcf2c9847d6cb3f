"""The build pipeline: parse → validate → reason → store → dumps → switch ``current`` → prune.

A content hash of the inputs (files, base IRI, pipeline code and library versions) names the
build; when the current build has the same hash the build is skipped. Validation failures and
inconsistencies stop the build before anything is written, so the previous build keeps serving.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import pyoxigraph as ox

from kgapp.build.directories import (
    DataDirError,
    check_build_dir,
    link_target,
    new_build_dir,
    prune,
    writing_failed,
)
from kgapp.build.dumps import by_graph_and_subject, write_dumps
from kgapp.build.progress import Progress, as_progress
from kgapp.config import Settings
from kgapp.errors import ValidationFailed
from kgapp.loader import Project, discover, load_project
from kgapp.reasoning import DEFAULT_REASONER, Inconsistent, Inference, infer
from kgapp.store import STORE_DIR, BuildInfo, default_graph_quads, switch_current, write_store
from kgapp.validation import DEFAULT_VALIDATOR, ValidationReport, input_of, validate_input

__all__ = ["BuildOutcome", "DataDirError", "build", "input_hash"]

PACKAGE = Path(__file__).resolve().parent.parent
PIPELINE_CODE = ("loader.py", "rdfterms.py", "namespaces.py", "store.py", "build", "validation", "reasoning")
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
    return {f.relative: hashlib.sha256(f.path.read_bytes()).hexdigest() for f in discover(settings.project_root)}


def input_hash(settings: Settings, files: dict[str, str] | None = None) -> str:
    """Hash of everything that determines a build's content."""
    digest = hashlib.sha256(pipeline_digest(settings).encode())
    for name, file_digest in sorted((files if files is not None else file_digests(settings)).items()):
        digest.update(f"{name}\0{file_digest}\0".encode())
    return digest.hexdigest()[:16]


@contextmanager
def stage(name: str, timings: dict[str, float], progress: Progress) -> Iterator[None]:
    progress.say(f"{name}…")
    started = time.perf_counter()
    yield
    timings[name] = round(time.perf_counter() - started, 3)
    progress.say(f"{name}: done in {timings[name]:.2f} s")


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
    """Build the store for the current inputs unless the current build already matches them."""
    say = as_progress(progress)
    data_dir = settings.data_path
    files = file_digests(settings)
    digest = input_hash(settings, files)
    current = served_build(data_dir, say)
    if current is not None and not force:
        info = BuildInfo.read(current)
        if info.input_hash == digest:
            say.say(f"inputs unchanged ({digest}); serving build of {info.built_at}")
            return BuildOutcome(current, info, skipped=True)

    timings: dict[str, float] = {}
    with stage("parse", timings, say):
        project = load_project(settings.project_root, settings.namespaces)
    with stage("validate", timings, say):
        report = validate_input(input_of(project), project, validator=validator)
    check_report(report, say)
    with stage("reason", timings, say):
        ns = settings.namespaces
        inference = infer(project.graph_triples(ns.ontology_graph), project.data_triples(), reasoner=reasoner)
    check_consistency(inference, project, say)
    graphs = {**project.asserted_graphs(), ns.inferred_graph: inference.inferred, ns.meta_graph: meta(project)}
    info = BuildInfo(
        input_hash=digest,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        base_iri=ns.base,
        input_files=[f.relative for f in project.files],
        graphs={iri: len(g) for iri, g in graphs.items()},
        asserted_triples=sum(len(g) for iri, g in graphs.items() if iri != ns.inferred_graph),
        inferred_triples=len(inference.inferred),
        conforms=True,
        warnings=len(report.warnings),
        dropped_inferences=dict(inference.dropped),
        timings_s=timings,
        backends={"validate": validator, "reason": reasoner},
    )
    build_dir = write_build(settings, digest, graphs, info, timings, say)
    switch_current(data_dir, build_dir)
    for old in prune(data_dir, settings.keep_builds, build_dir):
        say.say(f"pruned old build {old.name}")
    say.say(
        f"built {info.asserted_triples} asserted + {info.inferred_triples} inferred triples in "
        f"{len(graphs)} graphs → {build_dir.name}"
    )
    return BuildOutcome(build_dir, info, skipped=False, report=report)


def check_report(report: ValidationReport, progress: Progress) -> None:
    if report.warnings:
        lines = "\n".join(w.format() for w in report.warnings)
        progress.say(f"{len(report.warnings)} SHACL warning(s):\n{lines}")
    if not report.conforms:
        raise ValidationFailed(report.text(), len(report.violations))


def check_consistency(inference: Inference, project: Project, progress: Progress) -> None:
    for kind, count in sorted(inference.dropped.items()):
        progress.say(f"  dropped {count} inferred triple(s): {kind}")
    if inference.clashes:
        lines = "\n".join(f"  {clash}" for clash in inference.clashes)
        raise Inconsistent(f"the ontology and the data are inconsistent:\n{lines}")


def meta(project: Project) -> set[ox.Triple]:
    """Links each source graph to the document it holds the statements of."""
    return {
        ox.Triple(ox.NamedNode(graph), DCTERMS_SOURCE, ox.NamedNode(document))
        for graph, document in project.source_documents.items()
    }


def write_build(
    settings: Settings,
    digest: str,
    graphs: dict[str, set[ox.Triple]],
    info: BuildInfo,
    timings: dict[str, float],
    progress: Progress,
) -> Path:
    """Write store, dumps and build.json into a temporary directory, then rename it."""
    ns = settings.namespaces
    temporary, final = new_build_dir(settings.data_path, digest)
    try:
        with stage("store", timings, progress):
            quads = by_graph_and_subject(
                ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for g, ts in graphs.items() for t in ts
            )
            defaults = [g for g in graphs if g not in {ns.shapes_graph, ns.inferred_graph}]
            default_quads = default_graph_quads(quads, defaults)
            write_store(temporary / STORE_DIR, quads + default_quads, [])
        with stage("dumps", timings, progress):
            union = [ox.Triple(q.subject, q.predicate, q.object) for q in default_quads]
            write_dumps(temporary, quads, union + list(graphs[ns.inferred_graph]), ns.prefixes)
        info.write(temporary)
        temporary.rename(final)
    except OSError as exc:
        raise writing_failed(exc, settings.data_path) from None
    finally:
        if temporary.exists():
            import shutil

            shutil.rmtree(temporary, ignore_errors=True)
    return final
