"""What ``kgapp build`` does once it knows the files changed: commit their diff through the
writer, or make a whole build when a commit cannot be computed by delta."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from kgapp.build.compute import compute
from kgapp.build.files import file_change
from kgapp.build.inputset import InputSet, changed_files
from kgapp.commits import inputs
from kgapp.commits.change import NeedsWholeBuild
from kgapp.commits.versionfiles import Made, Whole
from kgapp.commits.writer import Writer
from kgapp.config import Settings
from kgapp.engines import DEFAULT_REASONER, DEFAULT_VALIDATOR
from kgapp.progress import Progress

BUILD_WAITS_FOR_WRITER_S = 30.0  # a server's writer service lets the writer go within 2 s


def make(
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
    """Commit the files' diff, or build the whole graph when a delta cannot say it."""
    timings: dict[str, float] = {}
    with Writer(settings, say, wait_s=BUILD_WAITS_FOR_WRITER_S) as writer:
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
        name: replace(record, graph=project.file_graph.get(name, ""))
        for name, record in found.records.items()
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
