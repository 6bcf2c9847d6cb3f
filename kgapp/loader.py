"""Reading the project's RDF files: discovery, parsing with file and line, graph assignment.

``ontology/`` → the ontology graph, ``shapes/`` → the shapes graph, ``graph/sources/*`` → one
named graph per source document (each file describes exactly one ``hkus:SourceDocument``), and
any other file under ``graph/`` → the editorial registry graph.

Files are parsed with pyoxigraph, which reports the line and column of a syntax error, into
pyoxigraph triples; the rdflib views (:attr:`Project.ontology`, :meth:`Project.data`…) exist
for the reference implementations and are only built when asked for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from xml.parsers import expat

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from kgapp.errors import InputError
from kgapp.formats import Format, for_input_file
from kgapp.inputfiles import InputFile, discover
from kgapp.namespaces import CANONICAL_BASE, RDF_TYPE, Namespaces, rebase
from kgapp.patchfiles import Patch, moved, patched_documents, read_patch
from kgapp.rdflibterms import rdflib_graph, to_ox
from kgapp.rdfterms import OxTerm

TYPE = ox.NamedNode(RDF_TYPE)


@dataclass
class Project:
    """Every input file, parsed, with the graph each feeds."""

    namespaces: Namespaces
    files: list[InputFile]
    file_triples: dict[str, list[ox.Triple]] = field(default_factory=dict)  # relative file → triples
    file_graph: dict[str, str] = field(default_factory=dict)  # relative file → graph IRI
    source_documents: dict[str, str] = field(default_factory=dict)  # graph IRI → document IRI
    graph_files: dict[str, list[str]] = field(default_factory=dict)  # graph IRI → files
    patches: list[Patch] = field(default_factory=list)  # the writes, applied after the files in order

    # pyoxigraph views -----------------------------------------------------------------------
    @cached_property
    def _graphs(self) -> dict[str, set[ox.Triple]]:
        """Each graph's triples: its files', then the patches applied in order."""
        graphs = {
            iri: {t for f in files for t in self.file_triples[f]} for iri, files in self.graph_files.items()
        }
        for patch in self.patches:
            patch.apply(graphs)
        return {g: ts for g, ts in graphs.items() if ts or g in self.graph_files}

    def graph_triples(self, graph_iri: str) -> set[ox.Triple]:
        return set(self._graphs.get(graph_iri, ()))

    def asserted_graphs(self) -> dict[str, set[ox.Triple]]:
        """Asserted graphs by IRI, as they go into the store."""
        return {iri: set(triples) for iri, triples in self._graphs.items()}

    def data_graph_iris(self) -> list[str]:
        """The graphs of instance data: the registry and every source graph."""
        ns = self.namespaces
        return [g for g in self._graphs if g == ns.entities_graph or ns.is_source_graph(g)]

    def data_triples(self) -> set[ox.Triple]:
        return {t for g in self.data_graph_iris() for t in self.graph_triples(g)}

    @cached_property
    def _subject_files(self) -> dict[OxTerm, list[str]]:
        index: dict[OxTerm, list[str]] = {}
        for name, triples in sorted(self.file_triples.items()):
            for subject in dict.fromkeys(t.subject for t in triples):
                index.setdefault(subject, []).append(name)  # type: ignore[arg-type]
        return index

    @cached_property
    def _blank_referrers(self) -> dict[ox.BlankNode, list[tuple[OxTerm, ox.NamedNode, str]]]:
        index: dict[ox.BlankNode, list[tuple[OxTerm, ox.NamedNode, str]]] = {}
        for name, triples in sorted(self.file_triples.items()):
            for t in triples:
                if isinstance(t.object, ox.BlankNode):
                    index.setdefault(t.object, []).append((t.subject, t.predicate, name))  # type: ignore[arg-type]
        return index

    def blank_referrers(self, node: Node | OxTerm) -> list[tuple[OxTerm, ox.NamedNode, str]]:
        """Who points at a blank node: (subject, predicate, file) of each triple with it as
        object, so that a report can name it by the named node it hangs from."""
        term = node if isinstance(node, ox.NamedNode | ox.BlankNode | ox.Literal) else to_ox(node)
        return list(self._blank_referrers.get(term, [])) if isinstance(term, ox.BlankNode) else []

    def files_mentioning(self, node: Node | OxTerm) -> list[str]:
        """The files in which ``node`` is the subject of a triple (for error reports)."""
        term = node if isinstance(node, ox.NamedNode | ox.BlankNode | ox.Literal) else to_ox(node)
        return list(self._subject_files.get(term, []))

    # rdflib views, for the reference implementations and the knowledge tests ----------------
    @cached_property
    def ontology(self) -> Graph:
        return rdflib_graph(self.graph_triples(self.namespaces.ontology_graph))

    @cached_property
    def shapes(self) -> Graph:
        return rdflib_graph(self.graph_triples(self.namespaces.shapes_graph))

    @cached_property
    def entities(self) -> Graph:
        return rdflib_graph(self.graph_triples(self.namespaces.entities_graph))

    def data(self) -> Graph:
        """The union of all instance data (registry and sources), as one rdflib graph."""
        return rdflib_graph(self.data_triples())


def read_quads(text: bytes, input_format: Format, name: str) -> list[ox.Quad]:
    """Parse a document; a syntax error names the file, line and column. Blank nodes are
    labelled by the file's name and their order in it (:func:`file_blank_nodes`)."""
    try:
        quads = ox.parse(text, format=input_format.rdf, base_iri=CANONICAL_BASE, rename_blank_nodes=True)
        return file_blank_nodes(quads, name)
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        line = exc.lineno or xml_error_line(text, input_format)
        raise InputError(f"{input_format.label} syntax error: {message}", file=name, line=line) from None
    except ValueError as exc:
        raise InputError(f"cannot read as {input_format.label}: {exc}", file=name) from None


def blank_node_prefix(name: str) -> str:
    """How the labels of the blank nodes of the file ``name`` start: a blank node tells its file."""
    return "f" + hashlib.sha256(name.encode()).hexdigest()[:16] + "n"


def file_blank_nodes(quads: Iterable[ox.Quad], name: str) -> list[ox.Quad]:
    """The quads with each blank node labelled by the file's name and the order in which it
    first appears: the same text parses to the same labels (so a commit can take out what an
    earlier parse of the file put in), and two files never share a blank node."""
    prefix = blank_node_prefix(name)
    labels: dict[ox.BlankNode, ox.BlankNode] = {}

    def label(term: ox.BlankNode) -> ox.BlankNode:
        found = labels.get(term)
        if found is None:
            found = labels[term] = ox.BlankNode(f"{prefix}{len(labels)}")
        return found

    def relabelled(term: Any) -> Any:
        return label(term) if isinstance(term, ox.BlankNode) else term

    return [
        ox.Quad(relabelled(q.subject), q.predicate, relabelled(q.object), q.graph_name)
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
        else q
        for q in quads
    ]


def xml_error_line(text: bytes, input_format: Format) -> int | None:
    """The line of an XML well-formedness error, which pyoxigraph's RDF/XML parser does not give."""
    if input_format.rdf != ox.RdfFormat.RDF_XML:
        return None
    parser = expat.ParserCreate()
    try:
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        return int(exc.lineno)
    return None


def parse_file(path: Path, name: str, namespaces: Namespaces) -> list[ox.Quad]:
    """Parse one file, IRIs moved onto the configured base."""
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=name) from None
    return parse_text(text, name, namespaces)


def parse_text(text: bytes, name: str, namespaces: Namespaces) -> list[ox.Quad]:
    """Parse the text of the file ``name`` (its suffix tells the format), IRIs moved onto the
    configured base."""
    suffix = Path(name).suffix
    input_format = for_input_file(suffix)
    if input_format is None or input_format.rdf is None:
        raise InputError(f"not a format the loader reads ({suffix})", file=name)
    quads = read_quads(text, input_format, name)
    if namespaces.base != CANONICAL_BASE:
        quads = [_rebased(q, namespaces) for q in quads]
    return quads


def _rebased(quad: ox.Quad, namespaces: Namespaces) -> ox.Quad:
    def move(term: Any) -> Any:
        if isinstance(term, ox.NamedNode) and term.value.startswith(CANONICAL_BASE):
            return ox.NamedNode(rebase(term.value, namespaces))
        return term

    return ox.Quad(move(quad.subject), move(quad.predicate), move(quad.object), move(quad.graph_name))


def source_document_of(triples: Iterable[ox.Triple], name: str, namespaces: Namespaces) -> str:
    """The one source document a file under graph/sources/ describes."""
    source_type = ox.NamedNode(str(namespaces.hkus.SourceDocument))
    documents = sorted(
        {str(t.subject.value) for t in triples if t.predicate == TYPE and t.object == source_type}  # type: ignore[union-attr]
    )
    if len(documents) != 1:
        found = ", ".join(documents) or "none"
        raise InputError(
            f"a source file must describe exactly one hkus:SourceDocument (found {found})", file=name
        )
    document = documents[0]
    if not document.startswith(str(namespaces.source)):
        raise InputError(f"source document IRI {document} is not under {namespaces.source}", file=name)
    return document


def load_project(
    project_root: Path,
    namespaces: Namespaces,
    extra: Iterable[Path] = (),
    on_file: Callable[[int], None] = lambda _: None,
) -> Project:
    """Parse every input file; ``extra`` files are added as if they were under graph/sources/
    when they describe a source document, else to the registry (used by ``kgapp validate``).
    ``on_file(1)`` is called after each file (for progress)."""
    extra = [Path(p) for p in extra]
    replaced = {p.resolve() for p in extra}
    files = [f for f in discover(project_root) if f.path.resolve() not in replaced]
    project = Project(namespaces, files)
    for item in files:
        if item.kind == "patch":
            project.patches.append(moved(read_patch(item.path.read_bytes(), item.relative), namespaces))
        else:
            add_file(project, item, parse_file(item.path, item.relative, namespaces))
        on_file(1)
    source_type = ox.NamedNode(str(namespaces.hkus.SourceDocument))
    for path in extra:
        quads = parse_file(path, str(path), namespaces)
        is_source = any(q.predicate == TYPE and q.object == source_type for q in quads)
        item = InputFile(path, str(path), "source" if is_source else "entities")
        project.files.append(item)
        add_file(project, item, quads)
    _patched_sources(project)
    return project


def _patched_sources(project: Project) -> None:
    """The documents of the source graphs the patches made, and none of a graph they emptied."""
    graphs = project.asserted_graphs()
    project.source_documents.update(patched_documents(project.patches, project.namespaces))
    for graph in [g for g in project.source_documents if not graphs.get(g)]:
        del project.source_documents[graph]


def graph_for(item: InputFile, triples: list[ox.Triple], namespaces: Namespaces) -> tuple[str, str | None]:
    """The IRI of the graph a file feeds, and the source document it describes (if a source)."""
    if item.kind == "ontology":
        return namespaces.ontology_graph, None
    if item.kind == "shapes":
        return namespaces.shapes_graph, None
    if item.kind == "entities":
        return namespaces.entities_graph, None
    document = source_document_of(triples, item.relative, namespaces)
    return namespaces.source_graph(document), document


def add_file(project: Project, item: InputFile, quads: list[ox.Quad]) -> None:
    """Record a parsed file under the graph it feeds; a dataset file may only name that graph."""
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    target, document = graph_for(item, triples, project.namespaces)
    for name in {q.graph_name for q in quads} - {ox.DefaultGraph()}:
        if not isinstance(name, ox.NamedNode) or name.value != target:
            raise InputError(
                f"names the graph {name}, but the triples of this file belong in <{target}> "
                "(a file feeds the one graph its folder and source document decide)",
                file=item.relative,
            )
    if document is not None:
        if target in project.graph_files:
            other = ", ".join(project.graph_files[target])
            raise InputError(
                f"source document {document} is already described by {other}", file=item.relative
            )
        project.source_documents[target] = document
    project.file_triples[item.relative] = triples
    project.file_graph[item.relative] = target
    project.graph_files.setdefault(target, []).append(item.relative)
