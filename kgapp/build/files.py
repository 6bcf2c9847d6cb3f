"""From the input files to a change: which files differ from the version served, and what the
edits take out of and put into which graphs.

A file's previous text is its copy under ``inputs/`` (:mod:`kgapp.commits.inputs`); both texts
are parsed with the same blank node labels (:func:`kgapp.loader.file_blank_nodes`), so the
difference is exactly the triples the edit took out and put in. A triple taken out of one file
of the registry stays in the registry graph while another of its files states it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from kgapp.build.compute import DCTERMS_SOURCE
from kgapp.build.inputset import InputSet
from kgapp.commits import inputs
from kgapp.commits.change import Change, NeedsWholeBuild
from kgapp.commits.filerecords import FileRecord
from kgapp.commits.served import Subject
from kgapp.errors import InputError
from kgapp.loader import Project, add_file, parse_text
from kgapp.namespaces import RDF_TYPE, Namespaces


@dataclass
class _Parsed:
    triples: set[ox.Triple]
    graph: str
    document: str | None


def file_change(
    found: InputSet,
    previous: dict[str, FileRecord],
    changed: list[str],
    removed: list[str],
    store: ox.Store,
    data_dir: Path,
    namespaces: Namespaces,
) -> Change:
    """The change that turns the version ``previous`` describes into the files as they are."""
    for name in changed + removed:
        kind = (found.records.get(name) or previous[name]).kind
        if kind in ("ontology", "shapes"):
            raise NeedsWholeBuild(f"{name} changed (the ontology and the shapes reach every node)")
        if kind == "patch":
            raise NeedsWholeBuild(f"{name} changed (the writes' patches apply in order, after every file)")
    before = {
        n: _parse_previous(n, previous[n], data_dir, namespaces) for n in changed + removed if n in previous
    }
    after = {n: _parse_current(found, n, namespaces) for n in changed}
    records = dict(found.records)
    for name, parsed in after.items():
        records[name] = replace(records[name], graph=parsed.graph)
    _check_documents(records, after)
    change = Change(files=records)
    removed_by: dict[str, set[ox.Triple]] = {}
    added_by: dict[str, set[ox.Triple]] = {}
    for name in changed + removed:
        old, new = before.get(name), after.get(name)
        old_triples = old.triples if old else set()
        new_triples = new.triples if new else set()
        if old and new and old.graph == new.graph:
            removed_by.setdefault(old.graph, set()).update(old_triples - new_triples)
            added_by.setdefault(new.graph, set()).update(new_triples - old_triples)
        else:
            if old:
                removed_by.setdefault(old.graph, set()).update(old_triples)
            if new:
                added_by.setdefault(new.graph, set()).update(new_triples)
        old_subjects = {t.subject for t in old_triples}
        new_subjects = {t.subject for t in new_triples}
        change.described_removed |= {(s, name) for s in old_subjects - new_subjects}  # type: ignore[misc]
        change.described_added |= {(s, name) for s in new_subjects - old_subjects}  # type: ignore[misc]
        _meta(change, old, new, namespaces)
    touched = set(changed) | set(removed)
    for graph, triples in removed_by.items():
        gone = triples - added_by.get(graph, set())
        gone -= _still_stated(gone, graph, records, touched, found, store, namespaces)
        if gone:
            change.removed.setdefault(graph, set()).update(gone)
    for graph, triples in added_by.items():
        fresh = triples - removed_by.get(graph, set())
        if fresh:
            change.added.setdefault(graph, set()).update(fresh)
    for name in changed:
        inputs.keep(data_dir, records[name].digest, found.text(name))
    return change


def _parse_previous(name: str, record: FileRecord, data_dir: Path, namespaces: Namespaces) -> _Parsed:
    text = inputs.read(data_dir, record.digest)
    if text is None:
        raise NeedsWholeBuild(f"the text {name} had in the served version is not kept")
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in parse_text(text, name, namespaces)}
    document = _document(triples, namespaces) if record.kind == "source" else None
    return _Parsed(triples, record.graph, document)


def _parse_current(found: InputSet, name: str, namespaces: Namespaces) -> _Parsed:
    item = found.items[name]
    project = Project(namespaces, [item])
    add_file(project, item, parse_text(found.text(name), name, namespaces))  # checks the graph it names
    return _Parsed(
        set(project.file_triples[name]),
        project.file_graph[name],
        project.source_documents.get(project.file_graph[name]),
    )


def _document(triples: set[ox.Triple], namespaces: Namespaces) -> str | None:
    source_type = ox.NamedNode(str(namespaces.hkus.SourceDocument))
    found = [
        t.subject.value
        for t in triples
        if t.predicate.value == RDF_TYPE and t.object == source_type and isinstance(t.subject, ox.NamedNode)
    ]
    return found[0] if len(found) == 1 else None


def _check_documents(records: dict[str, FileRecord], after: dict[str, _Parsed]) -> None:
    """Two source files may not describe one document (they would feed one graph)."""
    for name, parsed in after.items():
        if parsed.document is None:
            continue
        others = sorted(n for n, r in records.items() if n != name and r.graph == parsed.graph)
        if others:
            raise InputError(
                f"source document {parsed.document} is already described by {', '.join(others)}", file=name
            )


def _meta(change: Change, old: _Parsed | None, new: _Parsed | None, namespaces: Namespaces) -> None:
    """A source graph's link to its document, in the meta graph."""
    meta = namespaces.meta_graph
    old_link = _link(old)
    new_link = _link(new)
    if old_link != new_link:
        if old_link is not None:
            change.removed.setdefault(meta, set()).add(old_link)
        if new_link is not None:
            change.added.setdefault(meta, set()).add(new_link)


def _link(parsed: _Parsed | None) -> ox.Triple | None:
    if parsed is None or parsed.document is None:
        return None
    return ox.Triple(ox.NamedNode(parsed.graph), DCTERMS_SOURCE, ox.NamedNode(parsed.document))


def _still_stated(
    gone: set[ox.Triple],
    graph: str,
    records: dict[str, FileRecord],
    touched: set[str],
    found: InputSet,
    store: ox.Store,
    namespaces: Namespaces,
) -> set[ox.Triple]:
    """The triples of ``gone`` another, unchanged file of ``graph`` still states: only those files
    that describe the triple's subject (the files graph says which) are read."""
    others = {n for n, r in records.items() if r.graph == graph and n not in touched}
    if not others or not gone:
        return set()
    files_graph, described_in = ox.NamedNode(namespaces.files_graph), ox.NamedNode(namespaces.described_in)
    parsed: dict[str, set[ox.Triple]] = {}
    kept = set()
    for triple in gone:
        subject: Subject = triple.subject  # type: ignore[assignment]
        for quad in store.quads_for_pattern(subject, described_in, None, files_graph):
            name = str(getattr(quad.object, "value", ""))
            if name not in others:
                continue
            if name not in parsed:
                quads = parse_text(found.text(name), name, namespaces)
                parsed[name] = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
            if triple in parsed[name]:
                kept.add(triple)
                break
    return kept
