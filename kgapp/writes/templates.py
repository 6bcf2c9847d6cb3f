"""Update templates and quad data as quads: written back from the parsed tree as TriG (variables
as placeholder IRIs) and read by the RDF parser, so collections and ``[ … ]`` are spelled out as
RDF says; then filled in with each solution of the ``WHERE`` clause."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox

import kgapp.sparqlsyntax.operations as o
import kgapp.sparqlsyntax.tree as t
from kgapp.errors import KGError
from kgapp.sparqlsyntax.parser import too_deep_refused
from kgapp.sparqlsyntax.writer import Writer

VARIABLE = "urn:x-kgapp-variable:"  # how a template's variables travel through the TriG parser


class UpdateFailed(KGError):
    """An operation that fails as the specification says it does (no such graph…)."""

    title = "Update failed"
    status = 400


class _TemplateWriter(Writer):
    """Writes quad blocks as TriG: a variable becomes a placeholder IRI the parser keeps."""

    def var(self, node: t.Var) -> None:
        self.out.append(f"<{VARIABLE}{node.name}>")


def template_quads(blocks: list[o.QuadsBlock], default: ox.NamedNode) -> list[ox.Quad]:
    """The quads of a template or of quad data, collections and ``[ … ]`` spelled out; the
    default graph is ``default``."""
    if not blocks:
        return []
    writer = _TemplateWriter()
    with too_deep_refused():
        writer.quads(blocks)
    text = " ".join(writer.out[1:-1])  # TriG: the blocks without the braces around them
    try:
        parsed = ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.TRIG)
        return [
            ox.Quad(
                q.subject,
                q.predicate,
                q.object,
                default if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name,
            )
            for q in parsed
        ]
    except SyntaxError as exc:  # a literal where RDF allows none (a literal subject…)
        raise UpdateFailed(f"the update's data is not RDF: {exc}") from None


def quads_text(blocks: list[o.QuadsBlock]) -> str:
    writer = Writer()
    with too_deep_refused():
        writer.quads(blocks)
    return " ".join(writer.out)


def group_text(group: t.Group) -> str:
    writer = Writer()
    with too_deep_refused():
        writer.group(group)
    return " ".join(writer.out)


Solution = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]


def fresh_blank_nodes(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """The quads with each blank node label replaced by a new blank node (one per label)."""
    labels: dict[str, ox.BlankNode] = {}
    for quad in quads:
        terms = [
            labels.setdefault(x.value, ox.BlankNode()) if isinstance(x, ox.BlankNode) else x for x in quad
        ]
        yield ox.Quad(*terms)  # type: ignore[arg-type]


def instances(template: list[ox.Quad], solutions: Iterable[Solution]) -> list[ox.Quad]:
    """The template filled in with each solution; a quad with an unbound variable, or whose
    filled-in terms are not RDF (a literal subject…), is left out, as the specification says."""
    found = []
    for solution in solutions:
        fresh: dict[str, ox.BlankNode] = {}
        for quad in template:
            filled = _filled(quad, solution, fresh)
            if filled is not None:
                found.append(filled)
    return found


def _filled(quad: ox.Quad, solution: Solution, fresh: dict[str, ox.BlankNode]) -> ox.Quad | None:
    terms: list[Any] = []
    for term in quad:
        if isinstance(term, ox.NamedNode) and term.value.startswith(VARIABLE):
            value = solution.get(term.value[len(VARIABLE) :])
            if value is None:
                return None
            terms.append(value)
        elif isinstance(term, ox.BlankNode):
            terms.append(fresh.setdefault(term.value, ox.BlankNode()))
        else:
            terms.append(term)
    subject, predicate, value, graph = terms
    if not isinstance(subject, (ox.NamedNode, ox.BlankNode)) or not isinstance(predicate, ox.NamedNode):
        return None
    if not isinstance(graph, ox.NamedNode):
        return None
    return ox.Quad(subject, predicate, value, graph)
