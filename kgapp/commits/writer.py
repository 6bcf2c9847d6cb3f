"""The one writer of a data directory: it turns a change into a new version.

A commit checks the change on what it can affect, reasons by delete-and-rederive, applies the
quads to the live store in place, checkpoints it as the next version's store and switches
``current`` to it (``docs/design.md``, *The path of a change*, draws it).

A whole build (:meth:`Writer.write_whole`) loads its quads into the new version's store and then
makes ``live/`` a checkpoint of it. Readers only ever open a version's store, which never changes
once ``current`` can name it: they see one version or the next, never a mix.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox

from kgapp.commits import disputes, history, inputs
from kgapp.commits.change import Change
from kgapp.commits.check import ShapeContext, check
from kgapp.commits.delta import commit_delta
from kgapp.commits.directories import (
    DataDirError,
    complete_versions,
    new_version_dir,
    prune,
    writer_lock,
    writing_failed,
)
from kgapp.commits.entailed import refusal
from kgapp.commits.filerecords import FileRecord, keep_files, read_files, referenced_inputs, write_files
from kgapp.commits.live import (
    Marker,
    current_number,
    open_live,
    record_history,
    record_version,
    restore,
    tidy,
    write_change,
    write_marker,
)
from kgapp.commits.poststate import PostState, StoreOrigins
from kgapp.commits.reason import reason
from kgapp.commits.served import ServedDelta, asserted_union_delta, served_quads
from kgapp.commits.shapecache import shapes_key, shared_context
from kgapp.commits.versionfiles import (
    Made,
    Trial,
    Whole,
    child_info,
    read_report,
    whole_info,
    write_report,
)
from kgapp.config import Settings
from kgapp.layout import STORE_DIR, BuildInfo, switch_current, version_dir
from kgapp.progress import Progress
from kgapp.reasoning import refuse_clashes
from kgapp.validation import ValidationReport

LEGACY_BUILDS_DIR = "builds"


class Writer:
    """Holds the data directory's writer lock and its live store while open (``with Writer(…)``)."""

    def __init__(self, settings: Settings, progress: Progress | None = None, wait_s: float = 0.0) -> None:
        self.settings = settings
        self.wait_s = wait_s  # how long to wait for another writer to finish
        self.namespaces = settings.namespaces
        self.data_dir = settings.data_path
        self.progress = progress or Progress()
        self.live: ox.Store | None = None
        self.marker = Marker(0, False, "")
        self.current: int | None = None
        self._context: ShapeContext | None = None
        self._exits = ExitStack()

    # Opening ------------------------------------------------------------------------------------
    def __enter__(self) -> Writer:
        self._exits.enter_context(writer_lock(self.data_dir, self.wait_s))
        try:
            self.current = current_number(self.data_dir)
            tidy(self.data_dir, self.current)
            self._open_live()
            record_history(self.data_dir, self.namespaces)
        except OSError as exc:
            self._exits.close()
            raise writing_failed(exc, self.data_dir) from None
        except BaseException:
            self._exits.close()
            raise
        return self

    def _open_live(self) -> None:
        opened = open_live(self.data_dir, self.current)
        self.live, marker = opened if opened is not None else (None, None)
        if marker is not None:
            self.marker = marker

    def __exit__(self, *exc: object) -> None:
        self.live = None
        self._exits.close()

    # The current version ------------------------------------------------------------------------
    @property
    def current_dir(self) -> Path | None:
        return version_dir(self.data_dir, self.current) if self.current is not None else None

    def current_info(self) -> BuildInfo | None:
        directory = self.current_dir
        return BuildInfo.read(directory) if directory is not None else None

    def current_files(self) -> dict[str, FileRecord]:
        directory = self.current_dir
        return read_files(directory) if directory is not None else {}

    def shape_context(self) -> ShapeContext:
        """The shapes compiled and the ontology read, once per whole build (kept across writers)."""
        if self._context is None:
            assert self.live is not None
            key = shapes_key(self.data_dir, self.namespaces, self.current_info(), self.current_files())
            self._context = shared_context(self.live, self.namespaces, key)
        return self._context

    def _next_number(self) -> int:
        return max(history.last_number(self.data_dir), self.current or 0) + 1

    # A commit -----------------------------------------------------------------------------------
    def commit(
        self, change: Change, *, input_hash: str = "", timings: dict[str, float] | None = None
    ) -> Made:
        """Make ``change`` the next version, or refuse it (nothing written) when the result would
        not validate or would be inconsistent. A change that changes nothing makes no version."""
        timings = timings if timings is not None else {}
        return self.publish(self.trial(change, timings=timings), input_hash=input_hash, timings=timings)

    def publish(self, trial: Trial, *, input_hash: str = "", timings: dict[str, float] | None = None) -> Made:
        """Make the version a trial prepared (nothing, when it would change nothing)."""
        if trial.info is None:
            return Made(trial.parent_dir, trial.parent, None, changed=False)
        trial.info.input_hash = input_hash or trial.parent.input_hash
        assert trial.delta is not None
        timings = timings if timings is not None else {}
        return self._write_version(
            trial.info, trial.report, trial.change.files, delta=trial.delta, timings=timings
        )

    def trial(self, change: Change, *, timings: dict[str, float] | None = None) -> Trial:
        """Everything a commit of ``change`` decides, nothing written: the change made effective, its
        report, the delta to every graph and the next version's record (or the refusal a commit raises)."""
        timings = timings if timings is not None else {}
        parent_dir, parent = self.current_dir, self.current_info()
        if self.live is None or parent_dir is None or parent is None:
            raise DataDirError("there is no version to commit onto: run 'kgapp build' first")
        live = self.live
        with self.progress.stage("check", timings):
            change = change.effective(live)
            if change.is_empty() and (change.files is None or change.files == self.current_files()):
                return Trial(parent_dir, parent, change, ValidationReport(read_report(parent_dir)))
            lost, gained = asserted_union_delta(live, change.removed, change.added, self.namespaces)
            state = PostState(live, change, self.namespaces, union_delta=(lost, gained))
            origins = StoreOrigins(state)
            report = check(change, self.shape_context(), read_report(parent_dir), origins, state)
        if not report.conforms:
            raise refusal(report, change, self.shape_context(), state)
        with self.progress.stage("reason", timings):
            reasoned = reason(live, lost, gained, self.namespaces, origins)
        refuse_clashes(reasoned.clashes)
        delta = commit_delta(change, lost, gained, reasoned.delta, self.namespaces)
        info = child_info(parent, change, delta, report, reasoned.dropped, self.namespaces)
        info.version = self._next_number()
        return Trial(parent_dir, parent, change, report, delta, info)

    # A whole version ----------------------------------------------------------------------------
    def write_whole(
        self,
        whole: Whole,
        *,
        input_hash: str,
        pipeline: str,
        agent: str = "",
        message: str = "",
        timings: dict[str, float] | None = None,
    ) -> Made:
        """Make a version of ``whole``, computed from scratch."""
        timings = timings if timings is not None else {}
        info = whole_info(
            whole,
            self.namespaces,
            parent=self.current_info(),
            version=self._next_number(),
            input_hash=input_hash,
            pipeline=pipeline,
            agent=agent,
            message=message,
        )
        quads = served_quads(whole.named, whole.inferred, whole.entailed, whole.described, self.namespaces)
        return self._write_version(info, whole.report, whole.files, quads=quads, timings=timings)

    # Writing a version --------------------------------------------------------------------------
    def _write_version(
        self,
        info: BuildInfo,
        report: ValidationReport,
        files: dict[str, FileRecord] | None,
        *,
        delta: ServedDelta | None = None,
        quads: Iterator[ox.Quad] | None = None,
        timings: dict[str, float],
    ) -> Made:
        number = info.version
        temporary, final = new_version_dir(self.data_dir, number)
        try:
            with self.progress.stage("store", timings):
                if delta is not None:
                    assert self.live is not None and self.current is not None
                    write_marker(self.data_dir, replace(self.marker, clean=False))
                    self._apply(delta)
                    info.disagreements = disputes.updated(
                        self.live, info.disagreements, [*delta.removed, *delta.added], self.namespaces
                    )
                    self.live.backup(str(temporary / STORE_DIR))
                else:
                    assert quads is not None
                    store = ox.Store(str(temporary / STORE_DIR))
                    store.bulk_extend(quads)
                    store.flush()
                    store.optimize()
                    info.disagreements = disputes.every_disagreement(store)
                    del store
            with self.progress.stage("record", timings):
                if delta is not None:
                    write_change(temporary, list(delta.removed), list(delta.added))
                write_report(temporary, report.results)
                if files is None and self.current_dir is not None:
                    keep_files(self.current_dir, temporary)
                else:
                    write_files(temporary, files if files is not None else {})
                info.timings_s = timings
                info.write(temporary)
                temporary.rename(final)
            switch_current(self.data_dir, final)
        except OSError as exc:
            self._recover_after_failure()
            raise writing_failed(exc, self.data_dir) from None
        except BaseException:
            self._recover_after_failure()
            raise
        finally:
            if temporary.exists():
                shutil.rmtree(temporary, ignore_errors=True)
        previous = self.current
        self.current = number
        with self.progress.stage("publish", timings):
            if delta is None:  # live/ becomes a copy of the new version
                self.live = None
                restore(self.data_dir, number)
                self._open_live()
                self._context = None
            else:
                write_marker(self.data_dir, replace(self.marker, version=number, clean=True))
            record_version(self.data_dir, final, self.namespaces)
            self._prune(final, changed_files=files is not None, whole=delta is None)
        self.progress.say(f"version {number} is served (was {previous})")
        return Made(final, info, report, changed=True)

    def _apply(self, delta: ServedDelta) -> None:
        assert self.live is not None
        for quad in delta.removed:
            self.live.remove(quad)
        self.live.extend(delta.added)
        self.live.flush()

    def _recover_after_failure(self) -> None:
        """Put ``live/`` back at the served version (it may hold part of the change); if even that
        fails, the next writer does it."""
        try:
            self.live = None
            tidy(self.data_dir, self.current)
            self._open_live()
        except Exception:  # the disk may still be full: leave the marker dirty for the next writer
            self.live = None

    def _prune(self, serving: Path, changed_files: bool, whole: bool) -> None:
        removed = prune(self.data_dir, self.settings.keep_versions, serving, later=not whole)
        for old in removed:
            self.progress.say(f"pruned version {old.name} (its record stays in the history)")
        legacy = self.data_dir / LEGACY_BUILDS_DIR
        if legacy.is_dir():  # the layout before versions: its builds can no longer be served
            shutil.rmtree(legacy, ignore_errors=True)
            self.progress.say(f"removed {legacy} (builds of an earlier layout; versions/ replaces it)")
        if (not removed and not changed_files) or (not whole and int(serving.name) % 10):
            return  # nothing to prune; or a commit, whose unused input copies wait for every 10th
        inputs.prune(self.data_dir, referenced_inputs(complete_versions(self.data_dir)))
