"""Writes kept as files: one RDF Patch per write under ``graph/patches/``.

A write made over HTTP changes the live store and leaves a patch file beside the hand-written
Turtle, which it never rewrites. A build of the project's files loads the Turtle, then applies
the patches in the order of their names (each named by the time of its write), so a cold
``kgapp build`` gives what the live store holds.

The format is RDF Patch (as Apache Jena's RDF Delta writes it): a header, then one line per quad
taken out (``D``) or put in (``A``), each an N-Quads statement; blank nodes keep the labels the
store gives them, which a build gives the same nodes again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgapp.errors import InputError
from kgapp.inputfiles import PATCH_SUFFIX, PATCHES_FOLDER
from kgapp.namespaces import Namespaces

MEDIA_TYPE = "application/rdf-patch"
Triples = dict[str, set[ox.Triple]]  # graph IRI → triples


@dataclass
class Patch:
    removed: Triples = field(default_factory=dict)
    added: Triples = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def apply(self, graphs: dict[str, set[ox.Triple]]) -> None:
        for graph, triples in self.removed.items():
            graphs.get(graph, set()).difference_update(triples)
        for graph, triples in self.added.items():
            graphs.setdefault(graph, set()).update(triples)


def patches_dir(project_root: Path) -> Path:
    return project_root / PATCHES_FOLDER


def text_of(patch: Patch) -> str:
    lines = [f"H {name} {_literal(value)} ." for name, value in sorted(patch.headers.items())]
    lines.append("TX .")
    for letter, part in (("D", patch.removed), ("A", patch.added)):
        for graph in sorted(part):
            node = ox.NamedNode(graph)
            for triple in sorted(part[graph], key=str):
                lines.append(f"{letter} {ox.Quad(triple.subject, triple.predicate, triple.object, node)} .")
    lines.append("TC .")
    return "\n".join(lines) + "\n"


def _literal(value: str) -> str:
    return str(ox.Literal(value))


def read_patch(text: bytes, name: str) -> Patch:
    """The patch in ``text``; InputError naming the file and line where it is not RDF Patch."""
    patch = Patch()
    for number, raw in enumerate(text.decode("utf-8", errors="replace").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or line in ("TX .", "TC .", "TA ."):
            continue
        letter, _, rest = line.partition(" ")
        if letter == "H":
            key, _, value = rest.removesuffix(".").strip().partition(" ")
            patch.headers[key] = value.strip().strip('"')
            continue
        if letter not in ("A", "D"):
            raise InputError(
                f"expected a line starting A, D, H, TX or TC, not {letter!r}", file=name, line=number
            )
        try:
            quads = list(ox.parse(input=rest.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
        except SyntaxError as exc:
            raise InputError(f"not an N-Quads statement: {exc}", file=name, line=number) from None
        for quad in quads:
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise InputError("every quad of a patch names its graph", file=name, line=number)
            part = patch.added if letter == "A" else patch.removed
            part.setdefault(quad.graph_name.value, set()).add(
                ox.Triple(quad.subject, quad.predicate, quad.object)
            )
    return patch


def new_patch_path(project_root: Path, agent: str) -> Path:
    """A name for the next patch that sorts after every patch there is."""
    folder = patches_dir(project_root)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    who = "".join(c if c.isalnum() or c in "-_" else "-" for c in agent)[:40] or "write"
    name = f"{stamp}-{who}{PATCH_SUFFIX}"
    last = _last_patch_name(folder)
    if last and name <= last:
        name = last.removesuffix(PATCH_SUFFIX) + f"-{who}{PATCH_SUFFIX}"
    return folder / name


def _last_patch_name(folder: Path) -> str | None:
    try:
        with os.scandir(folder) as entries:
            return max((e.name for e in entries if e.name.endswith(PATCH_SUFFIX)), default=None)
    except FileNotFoundError:
        return None


def write_durably(path: Path, text: str) -> Path:
    """Write ``text`` to a temporary file beside ``path`` and flush it to disk; the caller
    renames it into place (:func:`publish`) once the write is committed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    return temporary


def publish(temporary: Path, path: Path) -> None:
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def moved(patch: Patch, namespaces: Namespaces) -> Patch:
    """A patch written on another base IRI (its ``base`` header), moved onto the configured one."""
    written = patch.headers.get("base", namespaces.base)
    if written == namespaces.base:
        return patch

    def move(term: Any) -> Any:
        if isinstance(term, ox.NamedNode) and term.value.startswith(written):
            return ox.NamedNode(namespaces.base + term.value[len(written) :])
        return term

    def moved_part(part: dict[str, set[ox.Triple]]) -> dict[str, set[ox.Triple]]:
        return {
            move(ox.NamedNode(g)).value: {
                ox.Triple(move(t.subject), move(t.predicate), move(t.object)) for t in ts
            }
            for g, ts in part.items()
        }

    return Patch(
        moved_part(patch.removed), moved_part(patch.added), {**patch.headers, "base": namespaces.base}
    )


def patched_documents(patches: list[Patch], namespaces: Namespaces) -> dict[str, str]:
    """Source graph → its document, for the source graphs the patches put triples in."""
    prefix = str(namespaces.graph) + "source/"
    return {
        graph: str(namespaces.source) + graph[len(prefix) :]
        for patch in patches
        for graph in patch.added
        if namespaces.is_source_graph(graph)
    }
