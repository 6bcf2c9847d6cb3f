"""Which files are the project's inputs, and which graph each feeds: ``ontology/``, ``shapes/``,
``graph/sources/*`` (one per source document) and the rest of ``graph/`` (the registry). Light
on purpose: ``kgapp build`` lists and hashes the inputs before it knows whether to parse any."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kgapp.formats import for_input_file

DATA_FOLDERS = ("ontology", "shapes", "graph")
SOURCES_FOLDER = Path("graph") / "sources"
PATCHES_FOLDER = Path("graph") / "patches"  # the writes made over HTTP (kgapp/patchfiles.py)
PATCH_SUFFIX = ".rdfp"


@dataclass(frozen=True)
class InputFile:
    path: Path
    relative: str
    kind: str  # "ontology" | "shapes" | "entities" | "source" | "patch"


def classify(relative: Path) -> str | None:
    """Which graph a file under the project root feeds, or None when it is not an input."""
    if relative.parent == PATCHES_FOLDER and relative.suffix == PATCH_SUFFIX:
        return "patch"
    if for_input_file(relative.suffix) is None:
        return None
    top = relative.parts[0]
    if top == "ontology":
        return "ontology"
    if top == "shapes":
        return "shapes"
    if top == "graph":
        return "source" if relative.parent == SOURCES_FOLDER else "entities"
    return None


def discover(project_root: Path) -> list[InputFile]:
    """Every RDF input file under the data folders, in a stable order."""
    found = []
    for folder in DATA_FOLDERS:
        for path in sorted((project_root / folder).rglob("*")):
            relative = path.relative_to(project_root)
            kind = classify(relative) if path.is_file() else None
            if kind:
                found.append(InputFile(path, relative.as_posix(), kind))
    return found
