"""Reading the project's RDF files: discovery, syntax checking with file and line, graph assignment.

``ontology/`` → the ontology graph, ``shapes/`` → the shapes graph, ``graph/sources/*`` → one
named graph per source document (each file describes exactly one ``hkus:SourceDocument``), and
any other file under ``graph/`` → the editorial registry graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kgapp.errors import InputError
from kgapp.formats import for_input_file
from kgapp.namespaces import CANONICAL_BASE, Namespaces, rebase

DATA_FOLDERS = ("ontology", "shapes", "graph")
SOURCES_FOLDER = Path("graph") / "sources"


@dataclass(frozen=True)
class InputFile:
    path: Path
    relative: str
    kind: str  # "ontology" | "shapes" | "entities" | "source"


@dataclass
class Project:
    """Every input graph, parsed, with the file each came from."""

    namespaces: Namespaces
    files: list[InputFile]
    ontology: Graph
    shapes: Graph
    entities: Graph
    sources: dict[str, Graph] = field(default_factory=dict)  # graph IRI → graph
    source_documents: dict[str, str] = field(default_factory=dict)  # graph IRI → document IRI
    graph_files: dict[str, list[str]] = field(default_factory=dict)  # graph IRI → files
    file_graphs: dict[str, Graph] = field(default_factory=dict)  # relative file → its triples

    def data(self) -> Graph:
        """The union of all instance data (registry and sources), as one graph."""
        union = Graph()
        union += self.entities
        for graph in self.sources.values():
            union += graph
        return union

    def named_graphs(self) -> dict[str, Graph]:
        """Asserted graphs by IRI, as they go into the store."""
        ns = self.namespaces
        return {
            ns.ontology_graph: self.ontology,
            ns.shapes_graph: self.shapes,
            ns.entities_graph: self.entities,
            **self.sources,
        }

    def files_mentioning(self, node: Node) -> list[str]:
        """The files in which ``node`` is the subject of a triple (for error reports)."""
        return sorted(f for f, g in self.file_graphs.items() if (node, None, None) in g)


def classify(relative: Path) -> str | None:
    """Which graph a file under the project root feeds, or None when it is not an input."""
    fmt = for_input_file(relative.suffix)
    if fmt is None or fmt.is_dataset:  # a dataset file has no one graph to go into
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


def check_syntax(text: bytes, fmt: ox.RdfFormat, name: str) -> None:
    """Fail with file, line and column on the first syntax error (pyoxigraph reports positions)."""
    try:
        for _ in ox.parse(text, format=fmt, base_iri=CANONICAL_BASE):
            pass
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        raise InputError(f"syntax error: {message}", file=name, line=exc.lineno) from None
    except ValueError as exc:
        raise InputError(f"cannot read: {exc}", file=name) from None


def parse_file(path: Path, name: str, namespaces: Namespaces) -> Graph:
    """Parse one file into a graph, IRIs moved onto the configured base."""
    fmt = for_input_file(path.suffix)
    if fmt is None or fmt.rdf is None or fmt.rdflib is None:
        raise InputError(f"not a format the loader reads ({path.suffix})", file=name)
    rdflib_format, ox_format = fmt.rdflib, fmt.rdf
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=name) from None
    check_syntax(text, ox_format, name)
    graph = Graph()
    try:
        graph.parse(data=text, format=rdflib_format, publicID=CANONICAL_BASE)
    except Exception as exc:  # rdflib raises many types; the file is at fault either way
        raise InputError(f"cannot parse: {exc}", file=name) from None
    return _rebased(graph, namespaces)


def _rebased(graph: Graph, namespaces: Namespaces) -> Graph:
    if namespaces.base == CANONICAL_BASE:
        return graph
    moved = Graph()
    for triple in graph:
        moved.add(tuple(URIRef(rebase(t, namespaces)) if isinstance(t, URIRef) else t for t in triple))  # type: ignore[arg-type]
    return moved


def source_document_of(graph: Graph, name: str, namespaces: Namespaces) -> str:
    """The one source document a file under graph/sources/ describes."""
    documents = sorted(str(s) for s in graph.subjects(RDF.type, namespaces.hkus.SourceDocument))
    if len(documents) != 1:
        found = ", ".join(documents) or "none"
        raise InputError(
            f"a source file must describe exactly one hkus:SourceDocument (found {found})",
            file=name,
        )
    document = documents[0]
    if not document.startswith(str(namespaces.source)):
        raise InputError(f"source document IRI {document} is not under {namespaces.source}", file=name)
    return document


def load_project(project_root: Path, namespaces: Namespaces, extra: Iterable[Path] = ()) -> Project:
    """Parse every input file; ``extra`` files are added as if they were under graph/sources/
    when they describe a source document, else to the registry (used by ``kgapp validate``)."""
    extra = [Path(p) for p in extra]
    replaced = {p.resolve() for p in extra}
    files = [f for f in discover(project_root) if f.path.resolve() not in replaced]
    project = Project(namespaces, files, Graph(), Graph(), Graph())
    for item in files:
        _add(project, item, parse_file(item.path, item.relative, namespaces))
    for path in extra:
        graph = parse_file(path, str(path), namespaces)
        kind = "source" if (None, RDF.type, namespaces.hkus.SourceDocument) in graph else "entities"
        _add(project, InputFile(path, str(path), kind), graph)
    return project


def _add(project: Project, item: InputFile, graph: Graph) -> None:
    ns = project.namespaces
    project.file_graphs[item.relative] = graph
    if item.kind == "ontology":
        target_iri, target = ns.ontology_graph, project.ontology
    elif item.kind == "shapes":
        target_iri, target = ns.shapes_graph, project.shapes
    elif item.kind == "entities":
        target_iri, target = ns.entities_graph, project.entities
    else:
        document = source_document_of(graph, item.relative, ns)
        target_iri = ns.source_graph(document)
        if target_iri in project.sources:
            other = ", ".join(project.graph_files[target_iri])
            raise InputError(
                f"source document {document} is already described by {other}", file=item.relative
            )
        target = project.sources[target_iri] = Graph()
        project.source_documents[target_iri] = document
    target += graph
    project.graph_files.setdefault(target_iri, []).append(item.relative)
