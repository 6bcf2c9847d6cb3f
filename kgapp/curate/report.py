"""What a refused or tried write is told: the SHACL report with the triples of the write behind
each violation, the clashes an OWL 2 RL rule found, and the delta, as RDF, as problem details
(RFC 9457) and as rows for the curator page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kgapp.commits.change import Change
from kgapp.commits.entailed import Entailment
from kgapp.commits.served import ServedDelta
from kgapp.namespaces import RDF_TYPE, Namespaces
from kgapp.validation import ValidationResult

SH = "http://www.w3.org/ns/shacl#"
PROV = "http://www.w3.org/ns/prov#"
PROV_DERIVED = PROV + "wasDerivedFrom"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PROBLEM_JSON = "application/problem+json"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
Entailed = dict[tuple[str, str | None], list[Entailment]]  # (focus node, shape) → memberships


@dataclass
class Cause:
    """A triple behind a violation: one of the write's, or one inferred (by ``rule``, from
    ``premises``) that made a shape apply."""

    graph: str
    subject: str
    predicate: str
    object: str
    added: bool
    inferred: bool = False
    rule: str = ""  # the OWL 2 RL rule that inferred it
    premises: list[str] = field(default_factory=list)  # the triples it was inferred from (N-Triples)


@dataclass
class Violation:
    severity: str
    message: str
    node: str
    path: str | None
    value: str | None
    shape: str | None
    constraint: str | None
    caused_by: list[Cause] = field(default_factory=list)


@dataclass
class Row:
    """One triple of a delta, in plain words."""

    change: str  # "added" | "removed"
    graph: str
    subject: str
    predicate: str
    object: str
    inferred: bool = False


def term_of(text: str) -> ox.NamedNode | ox.BlankNode | None:
    """A report's focus node (N-Triples) as a term."""
    if text.startswith("<") and text.endswith(">"):
        return ox.NamedNode(text[1:-1])
    if text.startswith("_:"):
        return ox.BlankNode(text[2:])
    return None


def causes(
    result: ValidationResult, change: Change, namespaces: Namespaces, entailed: Entailed | None = None
) -> list[Cause]:
    """The triples of the write about the violation's node (on its path first, else any), then
    the inferred memberships that made the violation's shape apply to the node."""
    node = term_of(result.node)
    if node is None:
        return []
    return _written_causes(result, node, change, namespaces) + [
        Cause(
            namespaces.inferred_graph,
            e.node,
            f"<{RDF_TYPE}>",
            f"<{e.klass}>",
            added=True,
            inferred=True,
            rule=e.rule,
            premises=[f"{e.node} <{RDF_TYPE}> <{e.stated}>", f"<{e.stated}> <{SUBCLASS}> <{e.klass}>"],
        )
        for e in (entailed or {}).get((result.node, result.shape), [])
    ]


def _written_causes(
    result: ValidationResult, node: ox.NamedNode | ox.BlankNode, change: Change, namespaces: Namespaces
) -> list[Cause]:
    path = namespaces.expand(result.path) if result.path else None
    about = []
    for added, part in ((True, change.added), (False, change.removed)):
        for graph, triples in part.items():
            for t in triples:
                if t.subject == node or t.object == node:
                    about.append(
                        (
                            t.predicate.value == path,
                            Cause(graph, str(t.subject), str(t.predicate), str(t.object), added),
                        )
                    )
    on_path = [c for hit, c in about if hit]
    return on_path or [c for _, c in about]


def violations(
    results: list[ValidationResult], change: Change, namespaces: Namespaces, entailed: Entailed | None = None
) -> list[Violation]:
    return [
        Violation(
            r.severity,
            r.message,
            r.focus,
            r.path,
            r.value,
            r.shape,
            r.constraint,
            causes(r, change, namespaces, entailed),
        )
        for r in results
        if r.severity == "Violation"
    ]


def report_triples(
    found: list[Violation], results: list[ValidationResult], namespaces: Namespaces
) -> list[ox.Triple]:
    """A ``sh:ValidationReport``; each result is derived (PROV-O) from the statements of the write
    that caused it, given as RDF statements."""
    report = ox.BlankNode()
    triples = [
        ox.Triple(report, ox.NamedNode(RDF_TYPE), ox.NamedNode(SH + "ValidationReport")),
        ox.Triple(
            report,
            ox.NamedNode(SH + "conforms"),
            ox.Literal("false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
        ),
    ]
    by_message = {(r.focus, r.message): r for r in results}
    for violation in found:
        result = ox.BlankNode()
        source = by_message.get((violation.node, violation.message))
        focus = term_of(source.node) if source is not None else None
        triples += [
            ox.Triple(report, ox.NamedNode(SH + "result"), result),
            ox.Triple(result, ox.NamedNode(RDF_TYPE), ox.NamedNode(SH + "ValidationResult")),
            ox.Triple(result, ox.NamedNode(SH + "resultSeverity"), ox.NamedNode(SH + violation.severity)),
            ox.Triple(result, ox.NamedNode(SH + "resultMessage"), ox.Literal(violation.message)),
        ]
        if focus is not None:
            triples.append(ox.Triple(result, ox.NamedNode(SH + "focusNode"), focus))
        for predicate, text in (
            ("resultPath", violation.path),
            ("sourceShape", violation.shape),
            ("sourceConstraintComponent", violation.constraint),
        ):
            iri = namespaces.expand(text) if text else None
            if iri:
                triples.append(ox.Triple(result, ox.NamedNode(SH + predicate), ox.NamedNode(iri)))
        if violation.value is not None:
            triples.append(ox.Triple(result, ox.NamedNode(SH + "value"), ox.Literal(violation.value)))
        for cause in violation.caused_by:
            statement = ox.BlankNode()
            triples += [
                ox.Triple(result, ox.NamedNode(PROV_DERIVED), statement),
                ox.Triple(statement, ox.NamedNode(RDF_TYPE), ox.NamedNode(RDF + "Statement")),
                ox.Triple(statement, ox.NamedNode(RDF + "subject"), ox.Literal(cause.subject)),
                ox.Triple(statement, ox.NamedNode(RDF + "predicate"), ox.Literal(cause.predicate)),
                ox.Triple(statement, ox.NamedNode(RDF + "object"), ox.Literal(cause.object)),
            ]
            if cause.inferred:
                triples += _inference(statement, cause)
    return triples


def _inference(statement: ox.BlankNode, cause: Cause) -> list[ox.Triple]:
    """An inferred statement's derivation: the rule's application, and what it used."""
    activity = ox.BlankNode()
    return [
        ox.Triple(statement, ox.NamedNode(PROV + "wasGeneratedBy"), activity),
        ox.Triple(activity, ox.NamedNode(RDF_TYPE), ox.NamedNode(PROV + "Activity")),
        ox.Triple(activity, ox.NamedNode(RDFS_LABEL), ox.Literal(f"OWL 2 RL rule {cause.rule}")),
        *(ox.Triple(activity, ox.NamedNode(PROV + "used"), ox.Literal(p)) for p in cause.premises),
    ]


def rows(change: Change, delta: ServedDelta, namespaces: Namespaces) -> list[Row]:
    """The asserted triples a write takes out and puts in, then what the inferred graph loses and
    gains because of them."""
    found = []
    for label, part in (("removed", change.removed), ("added", change.added)):
        for graph, triples in sorted(part.items()):
            for t in sorted(triples, key=str):
                found.append(Row(label, namespaces.compact(graph), *_words(t, namespaces)))
    inferred = ox.NamedNode(namespaces.inferred_graph)
    for label, quads in (("removed", delta.removed), ("added", delta.added)):
        for q in sorted((q for q in quads if q.graph_name == inferred), key=str):
            found.append(
                Row(
                    label,
                    "inferred",
                    *_words(ox.Triple(q.subject, q.predicate, q.object), namespaces),
                    inferred=True,
                )
            )
    return found


def _words(triple: ox.Triple, namespaces: Namespaces) -> tuple[str, str, str]:
    def word(term: Any) -> str:
        if isinstance(term, ox.NamedNode):
            return namespaces.compact(term.value)
        if isinstance(term, ox.Literal):
            return term.value
        return str(term)

    return word(triple.subject), word(triple.predicate), word(triple.object)
