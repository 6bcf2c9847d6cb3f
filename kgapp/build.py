"""The build pipeline: parse → validate → reason → write a new store → switch ``current``.

A content hash of the inputs (files, base IRI, pipeline code and library versions) names the
build; when the current build has the same hash the build is skipped. Validation failures stop
the build before anything is written, so the previous build keeps serving.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from kgapp import queries
from kgapp.config import Settings
from kgapp.disagreements import Disagreement
from kgapp.disagreements import find as find_disagreements
from kgapp.errors import ValidationFailed
from kgapp.loader import Project, discover, load_project
from kgapp.namespaces import Namespaces
from kgapp.reasoning import infer
from kgapp.store import (
    STORE_DIR,
    BuildInfo,
    builds_root,
    current_build_dir,
    switch_current,
    write_store,
)
from kgapp.validation import ValidationReport, validate_project

Progress = Callable[[str], None]
PIPELINE_MODULES = ("loader", "validation", "reasoning", "build", "store", "namespaces", "disagreements")
BUILD_QUERIES = ("disagreements",)
LIBRARIES = ("rdflib", "pyshacl", "owlrl", "pyoxigraph")


@dataclass
class BuildOutcome:
    build_dir: Path
    info: BuildInfo
    skipped: bool
    report: ValidationReport | None = None


def input_hash(settings: Settings) -> str:
    """Hash of everything that determines a build's content."""
    digest = hashlib.sha256()
    digest.update(settings.base_iri.encode())
    for item in discover(settings.project_root):
        digest.update(item.relative.encode() + b"\0" + item.path.read_bytes() + b"\0")
    package_dir = Path(__file__).parent
    for module in PIPELINE_MODULES:
        digest.update((package_dir / f"{module}.py").read_bytes())
    for query in BUILD_QUERIES:
        digest.update(queries.load(query).encode())
    for library in LIBRARIES:
        digest.update(f"{library}={metadata.version(library)}".encode())
    return digest.hexdigest()[:16]


@contextmanager
def _stage(name: str, timings: dict[str, float], progress: Progress) -> Iterator[None]:
    progress(f"{name}…")
    started = time.perf_counter()
    yield
    timings[name] = round(time.perf_counter() - started, 3)
    progress(f"{name}: done in {timings[name]:.2f} s")


def meta_graph(project: Project) -> Graph:
    """Links each source graph to the document it holds the statements of."""
    meta = Graph()
    for graph_iri, document in project.source_documents.items():
        meta.add((URIRef(graph_iri), DCTERMS.source, URIRef(document)))
    return meta


def _nquads(graphs: dict[str, Graph]) -> bytes:
    """All graphs as one N-Quads document (blank nodes shared across graphs stay shared)."""
    lines: list[str] = []
    for graph_iri, graph in graphs.items():
        suffix = f"<{graph_iri}> ."
        for line in graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines():
            if line.strip():
                lines.append(line.rstrip()[:-1] + suffix)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _write(target: Path, graphs: dict[str, Graph], asserted: list[str], namespaces: Namespaces) -> None:
    target.mkdir(parents=True)
    quads = ox.parse(_nquads(graphs), format=ox.RdfFormat.N_QUADS)
    write_store(target / STORE_DIR, quads, asserted, namespaces)


def build(settings: Settings, *, force: bool = False, progress: Progress = lambda _: None) -> BuildOutcome:
    """Build the store for the current inputs unless the current build already matches them."""
    data_dir = settings.data_path
    digest = input_hash(settings)
    current = current_build_dir(data_dir)
    if current is not None and not force:
        info = BuildInfo.read(current)
        if info.input_hash == digest:
            progress(f"inputs unchanged ({digest}); serving build of {info.built_at}")
            return BuildOutcome(current, info, skipped=True)

    timings: dict[str, float] = {}
    with _stage("parse", timings, progress):
        project = load_project(settings.project_root, settings.namespaces)
    with _stage("validate", timings, progress):
        report = validate_project(project)
    if report.warnings:
        progress(
            f"{len(report.warnings)} SHACL warning(s):\n" + "\n".join(w.format() for w in report.warnings)
        )
    if not report.conforms:
        raise ValidationFailed(report.text(), len(report.violations))
    with _stage("reason", timings, progress):
        inference = infer(project.ontology, project.data())
    for kind, count in sorted(inference.dropped.items()):
        progress(f"  dropped {count} inferred triple(s): {kind}")

    ns = settings.namespaces
    graphs = project.named_graphs() | {
        ns.inferred_graph: inference.inferred,
        ns.meta_graph: meta_graph(project),
    }
    asserted = sum(len(g) for iri, g in graphs.items() if iri != ns.inferred_graph)
    info = BuildInfo(
        input_hash=digest,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        base_iri=ns.base,
        input_files=[f.relative for f in project.files],
        graphs={iri: len(g) for iri, g in graphs.items()},
        asserted_triples=asserted,
        inferred_triples=len(inference.inferred),
        conforms=True,
        violations=0,
        warnings=len(report.warnings),
        dropped_inferences=dict(inference.dropped),
        timings_s=timings,
    )
    with _stage("store", timings, progress):
        asserted_graphs = [g for g in graphs if g not in {ns.shapes_graph, ns.inferred_graph}]
        build_dir = _write_build(data_dir, digest, graphs, asserted_graphs, info, ns)
    switch_current(data_dir, build_dir)
    _prune_old_builds(data_dir, keep={build_dir, current})
    progress(
        f"built {asserted} asserted + {info.inferred_triples} inferred triples in "
        f"{len(graphs)} graphs → {build_dir.name}"
    )
    return BuildOutcome(build_dir, info, skipped=False, report=report)


def _write_build(
    data_dir: Path,
    digest: str,
    graphs: dict[str, Graph],
    asserted: list[str],
    info: BuildInfo,
    namespaces: Namespaces,
) -> Path:
    """Write into a temporary directory, then rename: a half-written build is never visible."""
    root = builds_root(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"{digest}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%f')}"
    temporary = root / f".tmp-{final.name}"
    try:
        _write(temporary, graphs, asserted, namespaces)
        info.disagreements = [d.to_record() for d in _disagreements(temporary / STORE_DIR)]
        info.write(temporary)
        temporary.rename(final)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    return final


def _disagreements(store_dir: Path) -> list[Disagreement]:
    """Where sources disagree, by the one rule (see :mod:`kgapp.disagreements`)."""
    store = ox.Store.read_only(str(store_dir))

    def select(sparql: str) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
        solutions = store.query(sparql, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        return [{n: s[n] for n in names if s[n] is not None} for s in solutions]

    return find_disagreements(select)


def _prune_old_builds(data_dir: Path, keep: set[Path | None]) -> None:
    """Keep the new build and the one it replaced; older ones are no longer served by anyone
    who started after the previous switch."""
    keep_resolved = {p.resolve() for p in keep if p is not None}
    for old in builds_root(data_dir).iterdir():
        if old.is_dir() and old.resolve() not in keep_resolved and not old.name.startswith(".tmp-"):
            shutil.rmtree(old, ignore_errors=True)
