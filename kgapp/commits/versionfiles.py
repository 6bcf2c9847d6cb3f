"""What a version directory holds besides its store, read and written in one place: the
validation results kept with it (``report.json``) and the input files it was made from
(``files.json``); and what a writer is given and hands back."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from kgapp.commits.change import Change
from kgapp.commits.filerecords import FileRecord
from kgapp.commits.served import ServedDelta, Subject
from kgapp.layout import BuildInfo
from kgapp.namespaces import Namespaces
from kgapp.validation import ValidationReport, ValidationResult

REPORT_FILE = "report.json"


@dataclass
class Whole:
    """Everything a version holds, computed from scratch."""

    named: dict[str, set[ox.Triple]]
    inferred: set[ox.Triple]
    entailed: set[ox.Triple]
    described: dict[str, set[Subject]]  # input file → the subjects it describes
    report: ValidationReport
    dropped: Counter[str]
    files: dict[str, FileRecord]
    backends: dict[str, str] = field(default_factory=dict)


@dataclass
class Made:
    """What a commit left: the version now served (the previous one when nothing changed)."""

    directory: Path
    info: BuildInfo
    report: ValidationReport | None
    changed: bool


@dataclass
class Trial:
    """What a commit of a change would do; ``info`` None when it would change nothing."""

    parent_dir: Path
    parent: BuildInfo
    change: Change
    report: ValidationReport
    delta: ServedDelta | None = None
    info: BuildInfo | None = None


def read_report(directory: Path) -> list[ValidationResult]:
    try:
        records = json.loads((directory / REPORT_FILE).read_text(encoding="utf-8"))
    except OSError:
        return []
    return [ValidationResult(**{**r, "files": tuple(r["files"])}) for r in records]


def write_report(directory: Path, results: list[ValidationResult]) -> None:
    records = [asdict(r) for r in results]
    (directory / REPORT_FILE).write_text(json.dumps(records, indent=1) + "\n", encoding="utf-8")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def child_info(
    parent: BuildInfo,
    change: Change,
    delta: ServedDelta,
    report: ValidationReport,
    dropped: Counter[str],
    ns: Namespaces,
) -> BuildInfo:
    """The record of a commit's version: the parent's, with what the commit changed."""
    graphs = dict(parent.graphs)
    for quad in delta.removed:
        name = quad.graph_name
        if isinstance(name, ox.NamedNode) and name.value not in ns.hidden_graphs:
            graphs[name.value] = graphs.get(name.value, 0) - 1
    for quad in delta.added:
        name = quad.graph_name
        if isinstance(name, ox.NamedNode) and name.value not in ns.hidden_graphs:
            graphs[name.value] = graphs.get(name.value, 0) + 1
    files = change.files
    if files is not None:
        fed = {r.graph for r in files.values()} | {ns.inferred_graph, ns.meta_graph}
        graphs = {g: n for g, n in graphs.items() if g in fed or n > 0}  # writes make graphs too
    counts = Counter(parent.dropped_inferences)
    counts.update(dropped)
    info: BuildInfo = replace(
        parent,
        built_at=now(),
        input_files=sorted(files) if files is not None else parent.input_files,
        graphs=graphs,
        asserted_triples=sum(n for g, n in graphs.items() if g != ns.inferred_graph),
        inferred_triples=graphs.get(ns.inferred_graph, 0),
        warnings=len(report.warnings),
        dropped_inferences=dict(+counts),
        timings_s={},
        version_id=uuid.uuid4().hex,
        parent=parent.version,
        parent_id=parent.version_id,
        kind="commit",
        agent=change.agent,
        message=change.message,
        change=change.counts(),
    )
    return info


def whole_info(
    whole: Whole,
    ns: Namespaces,
    *,
    parent: BuildInfo | None,
    version: int,
    input_hash: str,
    pipeline: str,
    agent: str,
    message: str,
) -> BuildInfo:
    """The record of a version computed from scratch."""
    graphs = {g: len(ts) for g, ts in whole.named.items()}
    if whole.backends.get("reason") != "none":
        graphs[ns.inferred_graph] = len(whole.inferred)
    asserted = sum(n for g, n in graphs.items() if g != ns.inferred_graph)
    return BuildInfo(
        input_hash=input_hash,
        built_at=now(),
        base_iri=ns.base,
        input_files=sorted(whole.files),
        graphs=graphs,
        asserted_triples=asserted,
        inferred_triples=len(whole.inferred),
        conforms=True,
        warnings=len(whole.report.warnings),
        dropped_inferences=dict(whole.dropped),
        backends=whole.backends,
        version=version,
        version_id=uuid.uuid4().hex,
        pipeline=pipeline,
        parent=parent.version if parent is not None else None,
        parent_id=parent.version_id if parent is not None else "",
        kind="build",
        agent=agent,
        message=message,
        change={"removed": 0, "added": asserted},
    )
