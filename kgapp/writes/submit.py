"""The gate every write passes: who may write what, the sourcing rule, the shapes, consistency,
and then one commit (or, for a dry run, the report and the delta that a commit would make).

A write holds the data directory's one writer (:class:`~kgapp.commits.writer.Writer`) from the
moment it reads the store to the moment its version is current, so two writers never interleave
and the precondition (``If-Match``) is judged on the version the write is applied to. Readers
never wait: they read the versions' checkpoints, not the writer's live store.

On a remote store (``store_backend = "remote"``) the version is then sent to the store as the
builds' commits are, one ``DELETE DATA``/``INSERT DATA`` update, before the write is answered.

A committed write is kept as a patch file under ``graph/patches/`` (:mod:`kgapp.patchfiles`),
on disk before the version that holds it is answered, so that a cold build of the project's
files gives the live store.
"""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from kgapp import backend
from kgapp.commits import inputs
from kgapp.commits.change import Change
from kgapp.commits.filerecords import FileRecord
from kgapp.commits.served import ServedDelta
from kgapp.commits.versionfiles import Trial
from kgapp.commits.writer import Writer
from kgapp.config import Settings
from kgapp.errors import KGError
from kgapp.patchfiles import Patch, new_patch_path, publish, text_of, write_durably
from kgapp.tokens import WriteToken
from kgapp.validation import ValidationReport
from kgapp.versions import version_of_tag
from kgapp.writes.keeper import WriterKeeper
from kgapp.writes.sourcing import check_sourced, with_meta_links


class PreconditionFailed(KGError):
    title = "Precondition failed"
    status = 412


class OutOfScope(KGError):
    title = "Forbidden"
    status = 403


@dataclass(frozen=True)
class WriteRequest:
    token: WriteToken
    message: str = ""
    dry_run: bool = False
    if_match: str | None = None


@dataclass
class Outcome:
    """What a write did, or (a dry run) would do."""

    committed: bool
    version: int  # the version now current (the new one when committed)
    version_id: str
    change: Change  # the asserted triples out and in, per graph
    delta: ServedDelta = field(default_factory=ServedDelta)  # every graph, the inferred one too
    report: ValidationReport = field(default_factory=ValidationReport)
    patch: str = ""  # the patch file that keeps the write, under the project root

    @property
    def changed(self) -> bool:
        return bool(self.change.graphs())


MakeChange = Callable[[Writer], Change]


def submit(
    settings: Settings, make_change: MakeChange, request: WriteRequest, keeper: WriterKeeper | None = None
) -> Outcome:
    """Run the write through the gate; commit it unless it is a dry run. Raises the error that
    refuses it (403, 412, 422…) having changed nothing. The writer comes from ``keeper`` (by
    default, opened for this write)."""
    try:
        return _through_the_gate(settings, make_change, request, keeper or WriterKeeper(settings))
    except BaseException as error:
        # the refusal outlives the request (it is rendered, logged); its traceback's frames must
        # not keep the writer's live store open, which would lock out the next writer
        traceback.clear_frames(error.__traceback__)
        raise


def _through_the_gate(
    settings: Settings, make_change: MakeChange, request: WriteRequest, keeper: WriterKeeper
) -> Outcome:
    with keeper.writer() as writer:
        assert writer.live is not None
        _check_precondition(request.if_match, writer.current)
        change = make_change(writer).effective(writer.live)
        _check_scope(request.token, change)
        if settings.require_sources:
            check_sourced(change, writer.live, settings.namespaces)
        change = with_meta_links(change, writer.live, settings.namespaces)
        change.agent, change.message = request.token.name, request.message or "a write over HTTP"
        if request.dry_run or change.is_empty():
            return _tried(writer, writer.trial(change))
        return _committed(settings, writer, change)


def _tried(writer: Writer, trial: Trial) -> Outcome:
    current = writer.current_info()
    assert current is not None
    delta = trial.delta or ServedDelta()
    return Outcome(False, current.version, current.version_id, trial.change, delta, trial.report)


def _committed(settings: Settings, writer: Writer, change: Change) -> Outcome:
    """Commit with the patch file that keeps the write: written and flushed first, under a
    temporary name, and put in place once the version is current."""
    path = new_patch_path(settings.project_root, change.agent)
    text = text_of(_patch_of(change, settings))
    temporary = write_durably(path, text)
    try:
        status = temporary.stat()
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        inputs.keep(settings.data_path, digest, text.encode("utf-8"))
        relative = path.relative_to(settings.project_root).as_posix()
        record = FileRecord(digest, "", "patch", status.st_size, status.st_mtime_ns)
        change.files = {**writer.current_files(), relative: record}
        trial = writer.trial(change)
        made = writer.publish(trial)
        backend.publish(settings, made.directory, lambda _: None)  # a remote store: one update
        publish(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    report = made.report or trial.report
    delta = trial.delta or ServedDelta()
    return Outcome(True, made.info.version, made.info.version_id, trial.change, delta, report, relative)


def _patch_of(change: Change, settings: Settings) -> Patch:
    meta = settings.namespaces.meta_graph  # the build makes the meta graph's links itself
    return Patch(
        {g: ts for g, ts in change.removed.items() if g != meta},
        {g: ts for g, ts in change.added.items() if g != meta},
        {
            "base": settings.namespaces.base,
            "agent": change.agent,
            "message": change.message,
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )


def _check_precondition(if_match: str | None, current: int | None) -> None:
    if if_match is None or if_match.strip() == "*":
        return
    versions = {version_of_tag(tag) for tag in if_match.split(",")}
    if current not in versions:
        raise PreconditionFailed(
            f"If-Match names a version that is not the current one (version {current}): the graph "
            "changed since it was read. Read it again, and write on top of what it holds now",
            current_version=current,
        )


def _check_scope(token: WriteToken, change: Change) -> None:
    outside = sorted(g for g in change.graphs() if not token.may_write(g))
    if outside:
        allowed = ", ".join(f"<{g}>" for g in sorted(token.graphs or ()))
        raise OutOfScope(
            f"the token of {token.name!r} may write {allowed} only; this write changes "
            + ", ".join(f"<{g}>" for g in outside),
            graphs=outside,
        )
