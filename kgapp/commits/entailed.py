"""Why a shape applied to a node that a write made fail it: the classes the node is in only by
inference. SHACL follows ``rdfs:subClassOf`` when it picks a shape's targets (the ontology is
mixed into the data it validates), so a node said to be a person is validated as an agent: the
inferred triple ``node rdf:type hkus:Agent`` (OWL 2 RL rule ``cax-sco``) is behind the verdict,
and a refusal names it with its rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kgapp.commits.change import Change
from kgapp.commits.check import ShapeContext, term_of
from kgapp.commits.poststate import PostState
from kgapp.errors import ValidationFailed
from kgapp.namespaces import RDF_TYPE
from kgapp.validation import ValidationReport


@dataclass(frozen=True)
class Entailment:
    """A class a node is in only by inference (OWL 2 RL rule ``cax-sco``: a class it is said to
    be in is a subclass), which made a shape target it."""

    node: str  # N-Triples
    klass: str
    stated: str
    rule: str = "cax-sco"


def entailed_targets(
    report: ValidationReport, change: Change, context: ShapeContext, state: PostState
) -> dict[tuple[str, str | None], list[Entailment]]:
    """For each violation (by focus node and shape), the inferred class memberships that made
    its shape apply to the node: the inferred triples behind it, with their rule."""
    found: dict[tuple[str, str | None], list[Entailment]] = {}
    for result in report.violations:
        node = term_of(result.node)
        if node is None or result.shape is None:
            continue
        taken_out = {
            t.object
            for part in change.removed.values()
            for t in part
            if t.subject == node and t.predicate.value == RDF_TYPE
        }
        stated = {getattr(k, "value", "") for _p, k in state.out_edges(node, RDF_TYPE) if k not in taken_out}
        for owner in context.owners.get(result.shape, set()):
            declared = context.declared_classes(owner)
            if declared & stated:
                continue  # the node is said to be in a class the shape targets
            found.setdefault((result.node, result.shape), []).extend(
                Entailment(result.node, target, kind)
                for target in sorted(declared)
                for kind in sorted(stated)
                if kind != target and kind in context.below.get(target, ())
            )
    return {key: sorted(set(items), key=str) for key, items in found.items() if items}


def refusal(
    report: ValidationReport, change: Change, context: ShapeContext, state: PostState
) -> ValidationFailed:
    """The error refusing ``change``, with the inferred memberships behind each violation."""
    entailed: Any = entailed_targets(report, change, context, state)
    return ValidationFailed(
        report.text(), len(report.violations), report=report, change=change, entailed=entailed
    )
