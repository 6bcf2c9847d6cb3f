"""SHACL validation with pySHACL, and a report that names node, property, value, rule and file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyparsing import ParseException
from pyshacl import validate as pyshacl_validate
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from kgapp.errors import KGError
from kgapp.loader import Project, load_project
from kgapp.namespaces import SH, Namespaces


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


def _compact(node: Node | None, graph: Graph) -> str | None:
    """A prefixed name where one fits (properties, rules), else the full term."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except ValueError:
            return str(node)
    return node.n3() if isinstance(node, Literal) else str(node)


def _full(node: Node | None) -> str | None:
    """A focus node or value in full: an IRI as is, a literal in Turtle form."""
    if node is None:
        return None
    return node.n3() if isinstance(node, Literal) else str(node)


def _shape_name(shape: Node | None, shapes: Graph, data: Graph) -> str | None:
    """The named shape a (possibly anonymous) property shape belongs to."""
    if isinstance(shape, BNode):
        parent = shapes.value(None, SH.property, shape)
        if parent is not None:
            shape = parent
    return _compact(shape, data) if isinstance(shape, URIRef) else None


def _results(
    report: Graph, shapes: Graph, data: Graph, origin: Callable[[Node], list[str]]
) -> list[ValidationResult]:
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        severity = report.value(result, SH.resultSeverity)
        results.append(
            ValidationResult(
                severity=SEVERITY_NAMES.get(severity, "Violation")
                if isinstance(severity, URIRef)
                else "Violation",
                focus=_full(focus) or "?",
                path=_compact(report.value(result, SH.resultPath), data),
                value=_full(report.value(result, SH.value)),
                message="; ".join(messages) or "constraint not satisfied",
                shape=_shape_name(report.value(result, SH.sourceShape), shapes, data),
                constraint=_compact(report.value(result, SH.sourceConstraintComponent), data),
                files=tuple(origin(focus)) if focus is not None else (),
            )
        )
    return results


def validate_graph(
    data: Graph, shapes: Graph, ontology: Graph, origin: Callable[[Node], list[str]] = lambda n: []
) -> ValidationReport:
    """Validate instance data against shapes with the ontology mixed in.

    No inference is run: SHACL's sh:class and sh:targetClass already follow rdfs:subClassOf in
    the mixed-in ontology, while RDFS range/domain inference would make every object of a
    property an instance of its range and so hide exactly the wrong-class errors we look for.
    """
    try:
        _conforms, report_graph, _text = pyshacl_validate(
            data,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            advanced=True,
            allow_warnings=True,
            abort_on_first=False,
        )
    except ReportableRuntimeError as exc:  # a malformed shape or constraint, not bad data
        raise ShapesError(f"the shapes cannot be applied: {exc.message}") from None
    except ParseException as exc:  # SPARQL in a SHACL-SPARQL constraint that does not parse
        raise ShapesError(
            f"the shapes cannot be applied: a SPARQL constraint does not parse: {exc}"
        ) from None
    if not isinstance(report_graph, Graph):  # pyshacl hands back a ValidationFailure instead
        raise ShapesError(f"the shapes cannot be applied: {report_graph}")
    return ValidationReport(_results(report_graph, shapes, data, origin))  # type: ignore[arg-type]


def _bind_prefixes(graph: Graph, namespaces: Namespaces) -> Graph:
    for prefix, iri in namespaces.prefixes.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def ontology_annotations(ontology: Graph, namespaces: Namespaces) -> Graph:
    """The values of our own annotation properties (``hkus:singleValued``…) in the ontology.

    pySHACL mixes only RDFS/OWL axioms of the ontology into the data, so shapes that read our
    annotations (the disagreement rule reads ``hkus:singleValued``) get them from here."""
    ours = {
        p for p in ontology.subjects(RDF.type, OWL.AnnotationProperty) if str(p).startswith(namespaces.hkus)
    }
    annotations = Graph()
    for annotation in ours:
        for subject, value in ontology.subject_objects(annotation):
            annotations.add((subject, annotation, value))
    return annotations


def validate_project(project: Project) -> ValidationReport:
    data = project.data() + ontology_annotations(project.ontology, project.namespaces)
    data = _bind_prefixes(data, project.namespaces)
    return validate_graph(data, project.shapes, project.ontology, project.files_mentioning)


def validate_files(paths: Iterable[Path], project_root: Path, namespaces: Namespaces) -> ValidationReport:
    """Validate data files against the project's shapes, in the context of the project's data
    (a file may refer to registry entities). Only results about the files' own nodes are kept."""
    paths = [Path(p) for p in paths]
    project = load_project(project_root, namespaces, extra=paths)
    report = validate_project(project)
    names = {str(p) for p in paths}
    kept = [r for r in report.results if names.intersection(r.files)]
    return ValidationReport(kept, omitted=len(report.results) - len(kept))
