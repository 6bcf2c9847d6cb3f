"""Folding the writes kept as patch files (``graph/patches/``) into the project's RDF files.

A fold changes what the files say, never what the graph holds: it works out, graph by graph,
what the patches put in and took out in the end, writes that into the files that feed each graph,
checks that the project's files now give the same graphs as before, and only then removes the
patches. Statements the patches added are appended to a file of their graph, under a comment
naming the writes, so the hand-written text above stays as it was. Taking a statement out of a
file means writing that file again, which loses its comments and layout: a fold does that only
when asked (``rewrite=True``) and otherwise refuses, naming the files. A new source's graph gets
a new file under ``graph/sources/``.

Any failure leaves every file as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgapp.errors import KGError
from kgapp.formats import N_TRIPLES, TURTLE, Format, for_input_file
from kgapp.inputfiles import SOURCES_FOLDER, discover
from kgapp.loader import Project, blank_node_prefix, load_project
from kgapp.namespaces import Namespaces
from kgapp.patchfiles import read_patch

APPENDABLE = (TURTLE, N_TRIPLES)  # formats where statements can follow the text
Triples = set[ox.Triple]


class FoldRefused(KGError):
    title = "Cannot fold"
    status = 409


@dataclass
class FoldPlan:
    """What a fold writes: statements appended to files, files written again, files made."""

    patches: list[str] = field(default_factory=list)  # the patch files folded, under the root
    appended: dict[str, Triples] = field(default_factory=dict)  # file → statements to append
    rewritten: dict[str, Triples] = field(default_factory=dict)  # file → everything it will hold
    created: dict[str, Triples] = field(default_factory=dict)  # new file → what it holds
    removed_files: list[str] = field(default_factory=list)  # source files whose graph emptied

    @property
    def empty(self) -> bool:
        return not self.patches

    def summary(self) -> list[str]:
        lines = [f"append {len(ts)} statement(s) to {f}" for f, ts in sorted(self.appended.items())]
        lines += [f"write {f} again ({len(ts)} statements)" for f, ts in sorted(self.rewritten.items())]
        lines += [f"create {f} ({len(ts)} statements)" for f, ts in sorted(self.created.items())]
        lines += [f"remove {f} (its graph is now empty)" for f in self.removed_files]
        lines += [f"remove {p}" for p in self.patches]
        return lines


def plan(project: Project, project_root: Path, rewrite: bool = False) -> FoldPlan:
    """The fold of ``project``'s patches; FoldRefused (nothing planned) when it cannot be done
    without writing a file again and ``rewrite`` is not given, or would change blank nodes."""
    folded = FoldPlan(patches=_patch_files(project_root))
    if folded.empty:
        return folded
    final = project.asserted_graphs()
    needs_rewrite: list[str] = []
    for graph in sorted(set(final) | set(project.graph_files)):
        files = project.graph_files.get(graph, [])
        held = {t for f in files for t in project.file_triples[f]}
        wanted = final.get(graph, set())
        added, taken = wanted - held, held - wanted
        _refuse_blank_nodes(graph, added | taken)
        for name in files:
            if taken & set(project.file_triples[name]) or _format_of(name) not in APPENDABLE:
                needs_rewrite.append(name)
                folded.rewritten[name] = set(project.file_triples[name]) - taken
        if added:
            _place(folded, project, graph, files, added)
    folded.removed_files = _emptied_sources(folded, project)
    if needs_rewrite and not rewrite:
        raise FoldRefused(
            "folding would write these files again, losing their comments and layout ("
            + ", ".join(sorted(set(needs_rewrite)))
            + "): statements are taken out of them, or their format cannot be appended to. "
            "Fold with --rewrite to write them anyway, or keep the patches"
        )
    return folded


def _patch_files(project_root: Path) -> list[str]:
    return [item.relative for item in discover(project_root) if item.kind == "patch"]


def _format_of(name: str) -> Format:
    found = for_input_file(Path(name).suffix)
    assert found is not None, name  # every input file has a format the loader read it as
    return found


def _refuse_blank_nodes(graph: str, triples: Iterable[ox.Triple]) -> None:
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        raise FoldRefused(
            f"the writes to <{graph}> add or take out blank nodes, which a file would label anew "
            "(and so change): keep those writes as patches"
        )


def _place(folded: FoldPlan, project: Project, graph: str, files: list[str], added: Triples) -> None:
    """Statements a graph gained go to its first file, or a new file for a new source."""
    if files:
        target = files[0]
        if target in folded.rewritten:
            folded.rewritten[target] |= added
        else:
            folded.appended[target] = added
        return
    namespaces = project.namespaces
    if graph == namespaces.entities_graph:
        folded.created["graph/entities.ttl"] = added
    elif namespaces.is_source_graph(graph):
        slug = graph.rstrip("/").rsplit("/", 1)[-1]
        folded.created[(SOURCES_FOLDER / f"{slug}.ttl").as_posix()] = added
    else:
        raise FoldRefused(f"the writes made the graph <{graph}>, which no project folder feeds")


def _emptied_sources(folded: FoldPlan, project: Project) -> list[str]:
    """A source file left with nothing would describe no document: it goes instead."""
    emptied = [
        name
        for name, triples in folded.rewritten.items()
        if not triples and project.file_graph.get(name, "") in project.source_documents
    ]
    for name in emptied:
        del folded.rewritten[name]
    return emptied


# Writing ------------------------------------------------------------------------------------------
def fold(
    project_root: Path, namespaces: Namespaces, rewrite: bool = False, dry_run: bool = False
) -> FoldPlan:
    """Fold the patches into the files (unless ``dry_run``); check, and put every file back
    when the files do not give the graphs the patches gave."""
    before = load_project(project_root, namespaces)
    folded = plan(before, project_root, rewrite)
    if folded.empty or dry_run:
        return folded
    header = _header(project_root, folded.patches)
    originals = _write(project_root, folded, namespaces, header)
    try:
        after = load_project(project_root, namespaces)
    except KGError as error:
        _restore(project_root, originals)
        raise FoldRefused(f"the folded files do not load ({error}); every file is as it was") from None
    if after.asserted_graphs() != before.asserted_graphs():
        _restore(project_root, originals)
        raise FoldRefused("the folded files do not give the graphs the patches gave; every file is as it was")
    return folded


def _header(project_root: Path, patches: list[str]) -> str:
    lines = ["", "# Folded from writes made over HTTP (kgapp fold):"]
    for name in patches:
        headers = read_patch((project_root / name).read_bytes(), name).headers
        who = headers.get("agent", "someone")
        when = headers.get("time", "")
        why = headers.get("message", "").replace("\n", " ")
        lines.append(f"#   {Path(name).name}: {who}, {when}: {why}")
    return "\n".join(lines) + "\n"


def _write(
    project_root: Path, folded: FoldPlan, namespaces: Namespaces, header: str
) -> dict[Path, bytes | None]:
    """Write the plan; the files' former contents (None: it did not exist) to put back."""
    originals: dict[Path, bytes | None] = {}

    def remember(path: Path) -> None:
        originals.setdefault(path, path.read_bytes() if path.exists() else None)

    try:
        for name, triples in folded.appended.items():
            path = project_root / name
            remember(path)
            text = path.read_bytes()
            separator = b"" if text.endswith(b"\n") or not text else b"\n"
            body = _serialized(triples, _format_of(name), namespaces)
            path.write_bytes(text + separator + header.encode("utf-8") + body)
        for name, triples in [*folded.rewritten.items(), *folded.created.items()]:
            path = project_root / name
            remember(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            comment = header.lstrip("\n").encode("utf-8") if _format_of(name) in APPENDABLE else b""
            ordered = in_label_order(triples, blank_node_prefix(name))
            path.write_bytes(comment + _serialized(ordered, _format_of(name), namespaces))
        for name in [*folded.removed_files, *folded.patches]:
            path = project_root / name
            remember(path)
            path.unlink()
    except OSError:
        _restore(project_root, originals)
        raise
    return originals


def _serialized(triples: Iterable[ox.Triple], fmt: Format, namespaces: Namespaces) -> bytes:
    ordered = list(triples) if not isinstance(triples, set) else sorted(triples, key=str)
    if fmt != TURTLE:
        assert fmt.rdf is not None  # every input format is an RDF syntax
        return ox.serialize(ordered, format=fmt.rdf) or b""
    used = {name: iri for name, iri in namespaces.prefixes.items() if any(_mentions(t, iri) for t in ordered)}
    return ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=used) or b""


def in_label_order(triples: Triples, prefix: str) -> list[ox.Triple]:
    """The triples in an order in which the file's blank nodes (labelled ``<prefix><n>`` by the
    order they first appear in it, :func:`kgapp.loader.file_blank_nodes`) first appear in the
    order of their numbers, so that reading the file again gives them the same labels."""

    def number(term: object) -> int | None:
        if isinstance(term, ox.BlankNode) and term.value.startswith(prefix):
            digits = term.value[len(prefix) :]
            return int(digits) if digits.isdigit() else None
        return None

    ordered = sorted(triples, key=str)
    mentioning: dict[int, list[ox.Triple]] = {}
    for triple in ordered:
        for term in (triple.subject, triple.object):
            if (found := number(term)) is not None:
                mentioning.setdefault(found, []).append(triple)
    first: list[ox.Triple] = []
    seen: set[int] = set()
    for node in sorted(mentioning):
        if node in seen:
            continue
        others_seen = [
            t
            for t in mentioning[node]
            if all(number(x) in seen | {node, None} for x in (t.subject, t.object))
        ]
        chosen = (others_seen or mentioning[node])[0]
        first.append(chosen)
        seen.update(n for n in (number(chosen.subject), number(chosen.object)) if n is not None)
    chosen_ones = set(first)
    return first + [t for t in ordered if t not in chosen_ones]


def _mentions(triple: ox.Triple, namespace: str) -> bool:
    return any(isinstance(term, ox.NamedNode) and term.value.startswith(namespace) for term in triple)


def _restore(project_root: Path, originals: dict[Path, bytes | None]) -> None:
    for path, content in originals.items():
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(content)
