"""A build from scratch: parse every file, validate everything, saturate the closure."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgapp.build.progress import Progress
from kgapp.build.state import BuildState, FileEntry
from kgapp.config import Settings
from kgapp.errors import ValidationFailed
from kgapp.loader import Project, discover, load_project
from kgapp.reasoning import DEFAULT_REASONER, Inconsistent, clashes_of, infer, inferred_ids
from kgapp.reasoning.engine import RuleEngine
from kgapp.reasoning.terms import TermTable
from kgapp.validation import ValidationReport, input_of, validate_input

DATA_KINDS = ("entities", "source")


@dataclass
class Computed:
    """What a build computed: the project, its report, its inferred graph, what to keep."""

    project: Project
    report: ValidationReport
    inferred: set[ox.Triple] | None  # decoded only when no state keeps it as ints
    dropped: Counter[str]
    state: BuildState | None  # None when a reference reasoner ran (nothing to update from)
    incremental: bool = False
    store_delta: tuple[list[ox.Quad], list[ox.Quad]] | None = None  # (removed, added) vs the base build
    notes: list[str] = field(default_factory=list)


def graph_sizes(computed: Computed, inferred_graph: str) -> dict[str, int]:
    """Triples per asserted graph and in the inferred graph."""
    if computed.state is not None:
        sizes = {g: len(ts) for g, ts in computed.state.graphs().items()}
        return sizes | {inferred_graph: len(computed.state.inferred)}
    return {g: len(ts) for g, ts in computed.project.asserted_graphs().items()} | {
        inferred_graph: len(computed.inferred or ())
    }


@contextmanager
def stage(name: str, timings: dict[str, float], progress: Progress) -> Iterator[None]:
    progress.say(f"{name}…")
    started = time.perf_counter()
    yield
    timings[name] = round(time.perf_counter() - started, 3)
    progress.say(f"{name}: done in {timings[name]:.2f} s")


def check_report(report: ValidationReport, progress: Progress) -> None:
    if report.warnings:
        lines = "\n".join(w.format() for w in report.warnings)
        progress.say(f"{len(report.warnings)} SHACL warning(s):\n{lines}")
    if not report.conforms:
        raise ValidationFailed(report.text(), len(report.violations))


def check_clashes(clashes: list[str], project: Project) -> None:
    if clashes:
        lines = "\n".join(f"  {clash}" for clash in clashes)
        raise Inconsistent(
            f"the ontology and the data are inconsistent (the build is refused):\n{lines}\n"
            "Each line names the OWL 2 RL rule that fails and the terms it fails on."
        )


def compute(
    settings: Settings,
    files: dict[str, str],
    pipeline: str,
    *,
    validator: str,
    reasoner: str,
    progress: Progress,
    timings: dict[str, float],
) -> Computed:
    ns = settings.namespaces
    total = len(discover(settings.project_root))
    with stage("parse", timings, progress), progress.counting("parse", total, "files") as advance:
        project = load_project(settings.project_root, ns, on_file=advance)
    with stage("validate", timings, progress):
        report = validate_input(input_of(project), project, validator=validator)
    check_report(report, progress)
    with stage("reason", timings, progress):
        if reasoner != DEFAULT_REASONER:
            inference = infer(
                project.graph_triples(ns.ontology_graph), project.data_triples(), reasoner=reasoner
            )
            check_clashes(inference.clashes, project)
            return Computed(project, report, inference.inferred, inference.dropped, None)
        table = TermTable()
        entries = {
            item.relative: FileEntry(
                files[item.relative],
                item.kind,
                project.file_graph[item.relative],
                [table.encode(t) for t in project.file_triples[item.relative]],
            )
            for item in project.files
        }
        asserted = {t for e in entries.values() if e.kind != "shapes" for t in e.triples}
        with progress.counting("reason", None, "triples fired") as advance:
            engine = RuleEngine(table, asserted, on_fired=advance)
            engine.saturate()
        check_clashes(clashes_of(engine, project.files_mentioning), project)
        inferred, dropped = inferred_ids(engine)
    state = BuildState(
        pipeline=pipeline,
        terms=table.terms,
        files=entries,
        source_documents=dict(project.source_documents),
        closure=engine.index,
        inferred=inferred,
        results=report.results,
        dropped=dict(dropped),
    )
    return Computed(project, report, None, dropped, state)
