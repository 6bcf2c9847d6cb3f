"""What a build keeps for the next one: every file's triples, the closure and the report.

Saved as ``state.pickle`` in the build directory (born and pruned with the build). The next
build reads it to parse only the files that changed and to bring validation and reasoning up to
date from the difference (see :mod:`kgapp.build.incremental`). A missing or unreadable state only
means the next build starts from scratch.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path

from kgapp.rdfterms import OxTerm
from kgapp.reasoning.index import Index
from kgapp.reasoning.terms import IntTriple
from kgapp.validation import ValidationResult

STATE_FILE = "state.pickle"
STATE_VERSION = 3


@dataclass
class FileEntry:
    digest: str
    kind: str  # "ontology" | "shapes" | "entities" | "source"
    graph: str
    triples: list[IntTriple]


@dataclass
class BuildState:
    pipeline: str
    terms: list[OxTerm]
    files: dict[str, FileEntry]
    source_documents: dict[str, str]  # graph IRI → document IRI
    closure: Index  # the reasoner's input and everything derived from it
    inferred: set[IntTriple]  # derived minus noise: the inferred graph
    results: list[ValidationResult]
    dropped: dict[str, int] = field(default_factory=dict)  # noise dropped from the closure, by kind
    version: int = STATE_VERSION
    data_kinds: tuple[str, ...] = field(default=("entities", "source"))

    def triples_of(self, kinds: tuple[str, ...]) -> set[IntTriple]:
        return {t for entry in self.files.values() if entry.kind in kinds for t in entry.triples}

    def graphs(self) -> dict[str, set[IntTriple]]:
        """The asserted graphs, by IRI."""
        found: dict[str, set[IntTriple]] = {}
        for entry in self.files.values():
            found.setdefault(entry.graph, set()).update(entry.triples)
        return found

    def save(self, build_dir: Path) -> None:
        with (build_dir / STATE_FILE).open("wb") as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, build_dir: Path) -> BuildState | None:
        """The state a build left, or None when there is none or it cannot be read."""
        try:
            with (build_dir / STATE_FILE).open("rb") as handle:
                state = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
            return None
        if not isinstance(state, cls) or state.version != STATE_VERSION:
            return None
        return state
