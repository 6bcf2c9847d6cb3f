"""A whole build: parse every file, validate everything, saturate the closure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgapp.engines import DEFAULT_REASONER
from kgapp.errors import ValidationFailed
from kgapp.inputfiles import discover
from kgapp.loader import Project, load_project
from kgapp.namespaces import Namespaces
from kgapp.progress import Progress
from kgapp.reasoning import clashes_of, infer, is_vocabulary, noise_kind, refuse_clashes
from kgapp.reasoning.engine import RuleEngine
from kgapp.reasoning.terms import TermTable
from kgapp.validation import ValidationReport, input_of, validate_input

DCTERMS_SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")


@dataclass
class Computed:
    """What a whole build computed: the project, its report, the closure split into what pages
    show (inferred) and what only the rules read (entailed)."""

    project: Project
    report: ValidationReport
    inferred: set[ox.Triple]
    entailed: set[ox.Triple]
    dropped: Counter[str]
    meta: set[ox.Triple]

    def named_graphs(self, namespaces: Namespaces) -> dict[str, set[ox.Triple]]:
        return {**self.project.asserted_graphs(), namespaces.meta_graph: self.meta}


def check_report(report: ValidationReport, progress: Progress) -> None:
    if report.warnings:
        lines = "\n".join(w.format() for w in report.warnings)
        progress.say(f"{len(report.warnings)} SHACL warning(s):\n{lines}")
    if not report.conforms:
        raise ValidationFailed(report.text(), len(report.violations))


def meta_of(project: Project) -> set[ox.Triple]:
    """Links each source graph to the document it holds the statements of."""
    return {
        ox.Triple(ox.NamedNode(graph), DCTERMS_SOURCE, ox.NamedNode(document))
        for graph, document in project.source_documents.items()
    }


def compute(
    project_root: Path,
    namespaces: Namespaces,
    *,
    validator: str,
    reasoner: str,
    progress: Progress,
    timings: dict[str, float],
) -> Computed:
    root = project_root
    total = len(discover(root))
    with progress.stage("parse", timings), progress.counting("parse", total, "files") as advance:
        project = load_project(root, namespaces, on_file=advance)
    with progress.stage("validate", timings):
        report = validate_input(input_of(project), project, validator=validator)
    check_report(report, progress)
    meta = meta_of(project)
    with progress.stage("reason", timings):
        if reasoner != DEFAULT_REASONER:
            inference = infer(
                project.graph_triples(namespaces.ontology_graph),
                project.data_triples() | meta,
                reasoner=reasoner,
            )
            refuse_clashes(inference.clashes)
            return Computed(project, report, inference.inferred, set(), inference.dropped, meta)
        inferred, entailed, dropped = saturated(project, meta, namespaces, progress)
    return Computed(project, report, inferred, entailed, dropped, meta)


def saturated(
    project: Project, meta: set[ox.Triple], namespaces: Namespaces, progress: Progress
) -> tuple[set[ox.Triple], set[ox.Triple], Counter[str]]:
    """The closure of every asserted triple (the asserted union: all but the shapes), split into
    the inferred graph, the entailment graph (noise a store can hold) and counts of the noise."""
    table = TermTable()
    asserted = {
        table.encode(t)
        for graph, triples in project.asserted_graphs().items()
        if graph != namespaces.shapes_graph
        for t in triples
    } | {table.encode(t) for t in meta}
    with progress.counting("reason", None, "triples fired") as advance:
        engine = RuleEngine(table, asserted, on_fired=advance)
        engine.saturate()
    refuse_clashes(clashes_of(engine, project.files_mentioning))
    terms = table.terms
    inferred: set[ox.Triple] = set()
    entailed: set[ox.Triple] = set()
    dropped: Counter[str] = Counter()
    kinds: dict[tuple[int, int, int], str | None] = {}
    for s, p, o in engine.derived():
        subject, predicate, obj = terms[s], terms[p], terms[o]
        if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
            continue  # a store cannot hold it: nothing reads it back
        # the noise rules only look at the subject when it is vocabulary or equals the object
        key = (s if s == o or is_vocabulary(subject) else -1, p, o)
        if key not in kinds:
            kinds[key] = noise_kind(subject, predicate, obj)
        kind = kinds[key]
        triple = ox.Triple(subject, predicate, obj)
        if kind is None:
            inferred.add(triple)
        else:
            entailed.add(triple)
            dropped[kind] += 1
    return inferred, entailed, dropped
