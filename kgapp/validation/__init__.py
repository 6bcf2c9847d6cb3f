"""SHACL validation of the project: a report that names node, property, value, rule and file.

Two engines give the same results (a test holds them to it on the real and generated graphs):
pySHACL, the reference, and pyshacl-turbo, the default (see ``docs/benchmarks.md``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from kgapp.engines import DEFAULT_VALIDATOR, REFERENCE_VALIDATOR
from kgapp.loader import Project, load_project
from kgapp.namespaces import RDF_TYPE, Namespaces
from kgapp.validation.backends import (
    VALIDATORS,
    ValidationInput,
)
from kgapp.validation.report import (
    ShapesError,
    ValidationReport,
    ValidationResult,
    namespace_manager,
    results_of,
)

TYPE = ox.NamedNode(RDF_TYPE)
OWL_ANNOTATION = ox.NamedNode("http://www.w3.org/2002/07/owl#AnnotationProperty")

__all__ = [
    "DEFAULT_VALIDATOR",
    "REFERENCE_VALIDATOR",
    "VALIDATORS",
    "ShapesError",
    "ValidationInput",
    "ValidationReport",
    "ValidationResult",
    "input_of",
    "validate_files",
    "validate_input",
    "validate_project",
]


def input_of(project: Project) -> ValidationInput:
    ns = project.namespaces
    ontology = list(project.graph_triples(ns.ontology_graph))
    return ValidationInput(
        data=[*project.data_triples(), *ontology_annotations(ontology, ns)],
        ontology=ontology,
        shapes=list(project.graph_triples(ns.shapes_graph)),
    )


def ontology_annotations(ontology: Iterable[ox.Triple], namespaces: Namespaces) -> list[ox.Triple]:
    """The values of our own annotation properties (``hkus:singleValued``…) in the ontology.

    pySHACL mixes only RDFS/OWL axioms of the ontology into the data, so shapes that read our
    annotations (the disagreement rule reads ``hkus:singleValued``) get them with the data."""
    triples = list(ontology)
    ours = {
        t.subject
        for t in triples
        if t.predicate == TYPE
        and t.object == OWL_ANNOTATION
        and isinstance(t.subject, ox.NamedNode)
        and t.subject.value.startswith(namespaces.hkus)
    }
    return [t for t in triples if t.predicate in ours]


def validate_input(
    given: ValidationInput,
    project: Project,
    *,
    validator: str = DEFAULT_VALIDATOR,
    focus_nodes: Sequence[str] | None = None,
    shapes: Sequence[str] | None = None,
) -> ValidationReport:
    """Validate ``given`` with the named engine (only ``focus_nodes`` and only the node
    ``shapes`` named, when given; an empty list of focus nodes validates nothing)."""
    if focus_nodes is not None and not focus_nodes:
        return ValidationReport([])
    report = VALIDATORS[validator](given, focus_nodes, shapes)
    names = namespace_manager(project.namespaces)
    return ValidationReport(results_of(report, project.shapes, names, project))


def validate_project(project: Project, *, validator: str = DEFAULT_VALIDATOR) -> ValidationReport:
    return validate_input(input_of(project), project, validator=validator)


def validate_files(
    paths: Iterable[Path], project_root: Path, namespaces: Namespaces, *, validator: str = DEFAULT_VALIDATOR
) -> ValidationReport:
    """Validate data files against the project's shapes, in the context of the project's data
    (a file may refer to registry entities). Only results about the files' own nodes are kept."""
    paths = [Path(p) for p in paths]
    project = load_project(project_root, namespaces, extra=paths)
    report = validate_project(project, validator=validator)
    names = {str(p) for p in paths}
    kept = [r for r in report.results if names.intersection(r.files)]
    return ValidationReport(kept, omitted=len(report.results) - len(kept))
