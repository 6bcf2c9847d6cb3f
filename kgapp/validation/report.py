"""The validation report: results that name node, property, value, rule and file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, XSD, NamespaceManager
from rdflib.term import Node

from kgapp.errors import KGError
from kgapp.namespaces import Namespaces
from kgapp.rdflibterms import SH, to_rdflib


class ShapesError(KGError):
    """The shapes themselves are broken (e.g. a SHACL-SPARQL constraint that does not parse)."""

    title = "Shapes error"


SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class ValidationResult:
    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str | None
    constraint: str | None
    files: tuple[str, ...] = ()
    node: str = field(
        default="", compare=False, repr=False
    )  # the focus term, N-Triples (blank node label kept)

    def sort_key(self) -> tuple[str, ...]:
        return (
            self.severity,
            self.focus,
            self.path or "",
            self.value or "",
            self.message,
            self.shape or "",
            self.constraint or "",
            *self.files,
        )

    def format(self) -> str:
        lines = [f"[{self.severity}] {self.message}", f"  node:     {self.focus}"]
        if self.path:
            lines.append(f"  property: {self.path}")
        if self.value is not None:
            lines.append(f"  value:    {self.value}")
        if self.constraint or self.shape:
            lines.append(f"  rule:     {self.constraint or ''} in shape {self.shape or '(anonymous)'}")
        if self.files:
            lines.append(f"  file:     {', '.join(self.files)}")
        return "\n".join(lines)


@dataclass
class ValidationReport:
    results: list[ValidationResult] = field(default_factory=list)
    omitted: int = 0  # results about nodes outside the files asked for

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def text(self) -> str:
        if not self.results:
            return "Conforms: no violations, no warnings."
        ordered = sorted(self.results, key=lambda r: (r.severity != "Violation", r.focus, r.path or ""))
        body = "\n".join(r.format() for r in ordered)
        summary = f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s)"
        if self.omitted:
            summary += f"; {self.omitted} result(s) about other files omitted"
        return f"{body}\n{summary}"


def namespace_manager(namespaces: Namespaces) -> NamespaceManager:
    """Prefixed names in reports use the project's prefixes, whatever the data declared."""
    manager = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, iri in namespaces.prefixes.items():
        manager.bind(prefix, iri, override=True, replace=True)
    return manager


def _compact(node: Node | None, names: NamespaceManager) -> str | None:
    """A prefixed name where one fits (properties, rules), else the full term."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        try:
            return names.normalizeUri(node)
        except ValueError:
            return str(node)
    return _plain(node).n3() if isinstance(node, Literal) else str(node)


PATH_MODIFIERS = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


def _path(node: Node | None, graphs: tuple[Graph, ...], names: NamespaceManager) -> str | None:
    """A SHACL property path in SPARQL syntax (``hkus:advances|hkus:affects``), read from
    whichever graph describes it: the report copies the path, the shapes define it."""
    if not isinstance(node, BNode):
        return _compact(node, names)
    graph = next((g for g in graphs if (node, None, None) in g), None)
    if graph is None:
        return None
    if (node, RDF.first, None) in graph:
        return "/".join(_path(step, graphs, names) or "?" for step in Collection(graph, node))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path(p, graphs, names) or "?" for p in Collection(graph, alternatives))
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + _grouped(_path(inverse, graphs, names))
    for predicate, modifier in PATH_MODIFIERS.items():
        inner = graph.value(node, predicate)
        if inner is not None:
            return _grouped(_path(inner, graphs, names)) + modifier
    return None


def _grouped(path: str | None) -> str:
    path = path or "?"
    return f"({path})" if any(c in path for c in "/|") else path


def _plain(literal: Literal) -> Literal:
    """``"x"^^xsd:string`` and ``"x"`` are one literal (RDF 1.1); reports write the short form."""
    return Literal(str(literal)) if literal.datatype == XSD.string else literal


def _full(node: Node | None) -> str | None:
    """A focus node or value in full: an IRI as is, a literal in Turtle form."""
    if node is None:
        return None
    return _plain(node).n3() if isinstance(node, Literal) else str(node)


def _shape_name(shape: Node | None, shapes: Graph, names: NamespaceManager) -> str | None:
    """The named shape a (possibly anonymous) property shape belongs to."""
    if isinstance(shape, BNode):
        parent = shapes.value(None, SH.property, shape)
        if parent is not None:
            shape = parent
    return _compact(shape, names) if isinstance(shape, URIRef) else None


class Origins(Protocol):
    """Where the data says things: the project, as loaded (:class:`kgapp.loader.Project`)."""

    def files_mentioning(self, node: Node) -> list[str]: ...

    def blank_referrers(self, node: Node) -> list[tuple[Any, Any, str]]: ...


MAX_BLANK_DEPTH = 4


def _anchor(node: Node, origins: Origins, names: NamespaceManager) -> tuple[str, tuple[str, ...]]:
    """A blank node named by the named node it hangs from, ``[] (the hkus:citation of <iri>)``,
    and the files that state the link: its own label is different at every parse."""
    steps: list[str] = []
    files: list[str] = []
    current: Any = node
    for _ in range(MAX_BLANK_DEPTH):
        referrers = sorted(origins.blank_referrers(current), key=lambda r: (str(r[0]), str(r[1]), r[2]))
        if not referrers:
            break
        subject, predicate, _file = referrers[0]
        files = sorted({f for s, p, f in referrers if (s, p) == (subject, predicate)})
        steps.append(_compact(to_rdflib(predicate), names) or "?")
        current = subject
        if not isinstance(subject, ox.BlankNode):
            chain = " of the ".join(steps)
            return f"[] (the {chain} of {current.value})", tuple(files)
    return "[] (a blank node)", tuple(files)


def _node(node: Node | None, origins: Origins, names: NamespaceManager) -> tuple[str | None, tuple[str, ...]]:
    """A focus node or value as a report writes it, with the files that describe it."""
    if isinstance(node, BNode):
        return _anchor(node, origins, names)
    return _full(node), tuple(origins.files_mentioning(node)) if node is not None else ()


Keep = Callable[[Node, str | None], bool]


def results_of(
    report: Graph, shapes: Graph, names: NamespaceManager, origins: Origins, keep: Keep | None = None
) -> list[ValidationResult]:
    """The results of a SHACL validation report graph; only those ``keep(focus node, shape
    name)`` accepts, when given."""
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus_node = report.value(result, SH.focusNode)
        shape = _shape_name(report.value(result, SH.sourceShape), shapes, names)
        if keep is not None and (focus_node is None or not keep(focus_node, shape)):
            continue
        focus, files = _node(focus_node, origins, names)
        value, _ = _node(report.value(result, SH.value), origins, names)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        severity = report.value(result, SH.resultSeverity)
        results.append(
            ValidationResult(
                severity=SEVERITY_NAMES.get(severity, "Violation")
                if isinstance(severity, URIRef)
                else "Violation",
                focus=focus or "?",
                path=_path(report.value(result, SH.resultPath), (report, shapes), names),
                value=value,
                message="; ".join(messages) or "constraint not satisfied",
                shape=shape,
                constraint=_compact(report.value(result, SH.sourceConstraintComponent), names),
                files=files,
                node=focus_node.n3() if focus_node is not None else "",
            )
        )
    return sorted(results, key=ValidationResult.sort_key)
