"""``kgapp build``: the input files made into the version served.

- Nothing changed (every file's digest, the base IRI, the pipeline code and libraries as the
  served version records them): nothing is written.
- Data files changed: the edits are one commit (:mod:`kgapp.commits`), validated, reasoned and
  stored by delta; its cost follows the edit, not the graph.
- The ontology, the shapes or the pipeline changed, or there is no version yet, or ``--force``:
  a whole build (parse, validate, saturate, load), made the next version.

Validation failures and inconsistencies refuse the change before anything is written, so the
previous version keeps serving.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from kgapp.build.inputset import digests, read_inputs
from kgapp.commits.directories import DataDirError, check_version_dir, link_target
from kgapp.commits.filerecords import read_files
from kgapp.config import Settings
from kgapp.engines import DEFAULT_REASONER, DEFAULT_VALIDATOR
from kgapp.layout import BuildInfo
from kgapp.progress import Progress, as_progress

if TYPE_CHECKING:
    from kgapp.validation import ValidationReport

__all__ = ["BuildOutcome", "DataDirError", "build", "input_hash"]

PACKAGE = Path(__file__).resolve().parent.parent
PIPELINE_CODE = (
    "loader.py",
    "rdfterms.py",
    "namespaces.py",
    "store.py",
    "layout.py",
    "inputfiles.py",
    "engines.py",
    "formats.py",
    "disagreements.py",
    "queries/disagreements.rq",
    "build",
    "commits",
    "validation",
    "reasoning",
)
LIBRARIES = ("rdflib", "pyshacl", "pyshacl-turbo", "owlrl", "pyoxigraph")


@dataclass
class BuildOutcome:
    build_dir: Path
    info: BuildInfo
    skipped: bool
    report: ValidationReport | None = None  # the validation report, when a version was made


def pipeline_digest(settings: Settings) -> str:
    """Hash of what turns inputs into a version: base IRI, pipeline code, library versions."""
    digest = hashlib.sha256(settings.base_iri.encode())
    for name in PIPELINE_CODE:
        path = PACKAGE / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    for library in LIBRARIES:
        digest.update(f"{library}={metadata.version(library)}".encode())
    return digest.hexdigest()


def input_hash(pipeline: str, files: dict[str, str]) -> str:
    """Hash of everything that determines a version's content."""
    digest = hashlib.sha256(pipeline.encode())
    for name, file_digest in sorted(files.items()):
        digest.update(f"{name}\0{file_digest}\0".encode())
    return digest.hexdigest()[:16]


def served_version(data_dir: Path, progress: Progress) -> Path | None:
    """The version being served, or None (said so when the link names a broken one)."""
    target = link_target(data_dir)
    if target is None:
        return None
    try:
        check_version_dir(target)
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
    agent: str = "",
    message: str = "",
) -> BuildOutcome:
    """Make the files as they are the version served, unless it already is (nothing written)."""
    say = as_progress(progress)
    pipeline = pipeline_digest(settings)
    current = served_version(settings.data_path, say)
    found = read_inputs(settings.project_root, read_files(current) if current else {})
    digest = input_hash(pipeline, digests(found))
    if current is not None and not force:
        info = BuildInfo.read(current)
        if info.input_hash == digest:
            say.say(f"inputs unchanged ({digest}); serving version {info.version} of {info.built_at}")
            return BuildOutcome(current, info, skipped=True)
    from kgapp.build.make import make  # the writer and the engines: loaded only when something changed

    made = make(settings, found, pipeline, digest, force, say, validator, reasoner, agent, message)
    return BuildOutcome(made.directory, made.info, skipped=not made.changed, report=made.report)
