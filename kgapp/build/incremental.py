"""A build brought up to date from the previous one: only changed files are parsed, only the
focus nodes a change can affect are validated again, and the closure is updated by
delete-and-rederive (:meth:`RuleEngine.update`) instead of saturated again.

A change to the ontology or the shapes, to the pipeline code or libraries, or to a class
hierarchy stated in the data, makes a build from scratch: then everything may depend on it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgapp.build.compute import Computed, check_clashes, check_report, stage
from kgapp.build.progress import Progress
from kgapp.build.state import BuildState, FileEntry
from kgapp.build.validation_scope import validate_incrementally
from kgapp.config import Settings
from kgapp.loader import Project, add_file, classify, discover, parse_file
from kgapp.reasoning import clashes_of, updated_inferred
from kgapp.reasoning.engine import RuleEngine
from kgapp.reasoning.schema import Schema
from kgapp.reasoning.terms import IntTriple, TermTable

DATA_KINDS = ("entities", "source")
REASONED_KINDS = ("ontology", "entities", "source")


@dataclass(frozen=True)
class Plan:
    changed: list[str]  # files added or edited
    removed: list[str]


def plan(previous: BuildState, pipeline: str, files: dict[str, str]) -> tuple[Plan | None, str]:
    """What to redo, or None (and why) when only a build from scratch is right."""
    if previous.pipeline != pipeline:
        return None, "the pipeline code, libraries or base IRI changed"
    changed = [
        f for f, digest in files.items() if f not in previous.files or previous.files[f].digest != digest
    ]
    removed = [f for f in previous.files if f not in files]
    for name in changed + removed:
        if classify(Path(name)) in ("ontology", "shapes"):
            return None, f"{name} changed (the ontology and the shapes reach every node)"
    return Plan(changed, removed), ""


def project_from(settings: Settings, previous: BuildState, table: TermTable, changes: Plan) -> Project:
    """The project with unchanged files taken from the state and changed files parsed."""
    ns = settings.namespaces
    items = {f.relative: f for f in discover(settings.project_root)}
    project = Project(ns, list(items.values()))
    fresh = set(changes.changed)
    for name in items:
        if name in fresh:
            continue
        entry = previous.files[name]
        project.file_triples[name] = [table.decode(t) for t in entry.triples]
        project.file_graph[name] = entry.graph
        project.graph_files.setdefault(entry.graph, []).append(name)
        if entry.graph in previous.source_documents:
            project.source_documents[entry.graph] = previous.source_documents[entry.graph]
    for name in changes.changed:
        add_file(project, items[name], parse_file(items[name].path, name, ns))
    return project


def update(
    settings: Settings,
    previous: BuildState,
    changes: Plan,
    files: dict[str, str],
    *,
    validator: str,
    progress: Progress,
    timings: dict[str, float],
) -> Computed:
    table = TermTable(list(previous.terms))
    with stage("parse", timings, progress):
        project = project_from(settings, previous, table, changes)
        entries = dict(previous.files)
        for name in changes.removed:
            del entries[name]
        for name in changes.changed:
            item_kind = classify(Path(name)) or "entities"
            triples = [table.encode(t) for t in project.file_triples[name]]
            entries[name] = FileEntry(files[name], item_kind, project.file_graph[name], triples)
        old_files = {
            n: set(previous.files[n].triples)
            for n in changes.changed + changes.removed
            if n in previous.files
        }
        new_files = {n: set(entries[n].triples) for n in changes.changed}
        edits = set().union(
            *(old_files.get(n, set()) ^ new_files.get(n, set()) for n in old_files.keys() | new_files.keys())
        )
        old_reasoned = previous.triples_of(REASONED_KINDS)
        new_reasoned = {t for e in entries.values() if e.kind in REASONED_KINDS for t in e.triples}
    engine = RuleEngine(table, old_reasoned)
    engine.index = previous.closure
    engine.schema = Schema.read(engine.index)
    with stage("validate", timings, progress):
        report = validate_incrementally(
            project, previous, table, engine.index, edits, validator=validator, progress=progress
        )
    check_report(report, progress)
    with stage("reason", timings, progress):
        removed, added = old_reasoned - new_reasoned, new_reasoned - old_reasoned
        engine.update(removed, added)
        check_clashes(clashes_of(engine, project.files_mentioning), project)
        inferred, dropped = updated_inferred(
            engine, previous.inferred, Counter(previous.dropped), removed, added
        )
    state = BuildState(
        pipeline=previous.pipeline,
        terms=table.terms,
        files=entries,
        source_documents=dict(project.source_documents),
        closure=engine.index,
        inferred=inferred,
        results=report.results,
        dropped=dict(dropped),
    )
    delta = store_delta(settings, previous, state, table, changes.changed + changes.removed)
    return Computed(project, report, None, dropped, state, True, delta)


def store_delta(
    settings: Settings, old: BuildState, new: BuildState, table: TermTable, touched: list[str]
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The quads to take out of and put into the previous build's store."""
    ns = settings.namespaces
    removed: list[ox.Quad] = []
    added: list[ox.Quad] = []

    def compare(graph: ox.NamedNode | ox.DefaultGraph, before: set[IntTriple], after: set[IntTriple]) -> None:
        removed.extend(_quad(table.decode(t), graph) for t in before - after)
        added.extend(_quad(table.decode(t), graph) for t in after - before)

    graphs = {state.files[f].graph for state in (old, new) for f in touched if f in state.files}
    old_by_graph, new_by_graph = _by_graph(old, graphs), _by_graph(new, graphs)
    for graph in sorted(graphs):
        compare(ox.NamedNode(graph), old_by_graph.get(graph, set()), new_by_graph.get(graph, set()))
    compare(ox.NamedNode(ns.inferred_graph), old.inferred, new.inferred)
    old_meta, new_meta = _meta(old, table), _meta(new, table)
    compare(ox.NamedNode(ns.meta_graph), old_meta, new_meta)
    old_asserted, new_asserted = (
        old.triples_of(REASONED_KINDS) | old_meta,
        new.triples_of(REASONED_KINDS) | new_meta,
    )
    compare(ox.NamedNode(ns.asserted_graph), old_asserted, new_asserted)  # see kgapp.store.served_unions
    compare(ox.DefaultGraph(), old_asserted | old.inferred, new_asserted | new.inferred)
    return removed, added


def _by_graph(state: BuildState, graphs: set[str]) -> dict[str, set[IntTriple]]:
    found: dict[str, set[IntTriple]] = {}
    for entry in state.files.values():
        if entry.graph in graphs:
            found.setdefault(entry.graph, set()).update(entry.triples)
    return found


def _meta(state: BuildState, table: TermTable) -> set[IntTriple]:
    source = ox.NamedNode("http://purl.org/dc/terms/source")
    return {
        table.encode(ox.Triple(ox.NamedNode(g), source, ox.NamedNode(d)))
        for g, d in state.source_documents.items()
    }


def _quad(triple: ox.Triple, graph: ox.NamedNode | ox.DefaultGraph) -> ox.Quad:
    return ox.Quad(triple.subject, triple.predicate, triple.object, graph)
