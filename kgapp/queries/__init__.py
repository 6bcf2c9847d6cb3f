"""Named SPARQL queries: every query the code runs is a ``.rq`` file in this package.

``examples/`` holds the analyst questions shown on the query page and in ``docs/model.md``: each
starts with a ``# Question:`` line, then optional ``#`` notes, then the SPARQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from kgapp.errors import InputError

EXAMPLES_FOLDER = "examples"
QUESTION_PREFIX = "# Question:"


@cache
def load(name: str) -> str:
    """The text of ``<name>.rq`` (``name`` may contain ``/`` for sub-folders)."""
    path = resources.files(__package__).joinpath(*f"{name}.rq".split("/"))
    return path.read_text(encoding="utf-8")


def names(folder: str) -> list[str]:
    """The queries in a sub-folder, sorted, without the ``.rq`` suffix."""
    directory = resources.files(__package__).joinpath(folder)
    if not directory.is_dir():
        return []
    return sorted(
        f"{folder}/{entry.name[:-3]}" for entry in directory.iterdir() if entry.name.endswith(".rq")
    )


@dataclass(frozen=True)
class Example:
    """An analyst question: its file name, the question, notes on how it is answered, the SPARQL."""

    name: str
    title: str
    notes: tuple[str, ...]
    sparql: str

    @property
    def description(self) -> str:
        return " ".join(self.notes)


def parse_example(name: str, text: str) -> Example:
    lines = text.splitlines()
    if not lines or not lines[0].startswith(QUESTION_PREFIX):
        raise InputError(f"the first line must start with {QUESTION_PREFIX!r}", file=name, line=1)
    notes = []
    for line in lines[1:]:
        if not line.startswith("#"):
            break
        notes.append(line.lstrip("#").strip())
    return Example(name, lines[0][len(QUESTION_PREFIX) :].strip(), tuple(notes), text)


def examples() -> list[Example]:
    """Every analyst question, in file-name order."""
    return [parse_example(name.split("/", 1)[1] + ".rq", load(name)) for name in names(EXAMPLES_FOLDER)]
