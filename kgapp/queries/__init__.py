"""Named SPARQL queries: every query the code runs is a ``.rq`` file in this package."""

from __future__ import annotations

from functools import cache
from importlib import resources


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
