"""The curator page: paste Turtle (into a graph) or an update, see what it would do in plain
words, then commit it with a message. A form posted with the token: no JavaScript needed."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Response, render_template, request

from kgapp.curate.answers import Written, written
from kgapp.curate.auth import writer_of, writes_enabled
from kgapp.curate.report import Violation, violations
from kgapp.errors import KGError, ValidationFailed
from kgapp.formats import TURTLE
from kgapp.reasoning import Inconsistent
from kgapp.web.state import state
from kgapp.writes.graphstore import add_to_graph, graph_iri, parse, parse_graph, run_update
from kgapp.writes.submit import MakeChange, WriteRequest, submit

KINDS = ("update", "turtle")


@dataclass
class CuratorForm:
    kind: str = "update"
    text: str = ""
    graph: str = ""
    message: str = ""
    enabled: bool = True
    sources: list[str] = field(default_factory=list)
    written: Written | None = None
    error: KGError | None = None
    violations: list[Violation] = field(default_factory=list)


def _form() -> CuratorForm:
    namespaces = state().namespaces
    graphs = [
        g
        for g in state().store.graph_names()
        if g == namespaces.entities_graph or namespaces.is_source_graph(g)
    ]
    return CuratorForm(
        enabled=writes_enabled(state().settings), sources=graphs, graph=namespaces.entities_graph
    )


def curator_get() -> Response:
    return _page(_form())


def curator_post() -> Response:
    form = _form()
    form.kind = request.form.get("kind", "update") if request.form.get("kind") in KINDS else "update"
    form.text = request.form.get("text", "")
    form.graph = request.form.get("graph", "").strip() or form.graph
    form.message = request.form.get("message", "")
    commit = request.form.get("action") == "commit"
    status = 200
    try:
        token = writer_of(request, state().settings, request.form.get("token", ""))
        asked = WriteRequest(token, form.message, dry_run=not commit)
        outcome = submit(state().settings, _change_of(form), asked, state().writers)
        form.written = written(outcome, dry_run=not commit)
    except (ValidationFailed, Inconsistent) as refusal:
        form.error, status = refusal, 422
        if (
            isinstance(refusal, ValidationFailed)
            and refusal.report is not None
            and refusal.change is not None
        ):
            found = violations(refusal.report.results, refusal.change, state().namespaces, refusal.entailed)
            form.violations = found
    except KGError as error:
        if error.status >= 500:
            raise
        form.error, status = error, error.status
    return _page(form, status)


def _change_of(form: CuratorForm) -> MakeChange:
    if not form.text.strip():
        raise KGError("paste Turtle or a SPARQL update into the box first")
    namespaces = state().namespaces
    if form.kind == "turtle":
        form.graph = graph_iri(form.graph, request.base_url)
        prologue = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in namespaces.prefixes.items())
        triples = parse_graph((prologue + form.text).encode("utf-8"), TURTLE, form.graph)
        return add_to_graph(form.graph, triples)
    return run_update(parse(form.text, namespaces, namespaces.base), state().settings.query_timeout_s)


def _page(form: CuratorForm, status: int = 200) -> Response:
    html = render_template("curate/curate.html", form=form)
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response
