"""How a write is answered: what it did (or would do), or why it was refused (422), in the form
the client asks for — RDF (the SHACL report), problem details, JSON, or a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Response, jsonify, render_template, request

from kgapp.conneg import negotiate, prefers_html
from kgapp.curate.report import PROBLEM_JSON, Row, Violation, report_triples, rows, violations
from kgapp.errors import KGError, ValidationFailed
from kgapp.formats import JSON_LD, N_TRIPLES, TURTLE, serialize_graph
from kgapp.reasoning import Inconsistent
from kgapp.versions import entity_tag
from kgapp.web.jsonview import to_json
from kgapp.web.pages import urls
from kgapp.web.state import state
from kgapp.writes.submit import Outcome

REPORT_FORMATS = (TURTLE, JSON_LD, N_TRIPLES)


@dataclass
class Written:
    """The answer to a write: the version it made (or, a dry run, the one it was tried on)."""

    committed: bool
    dry_run: bool
    version: int
    version_id: str
    changes: str  # the change record's page, once committed
    removed: int
    added: int
    inferred_removed: int
    inferred_added: int
    patch: str
    delta: list[Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def written(outcome: Outcome, dry_run: bool) -> Written:
    namespaces = state().namespaces
    counts = outcome.change.counts()
    inferred = namespaces.inferred_graph
    inferred_removed = sum(1 for q in outcome.delta.removed if getattr(q.graph_name, "value", "") == inferred)
    inferred_added = sum(1 for q in outcome.delta.added if getattr(q.graph_name, "value", "") == inferred)
    return Written(
        committed=outcome.committed,
        dry_run=dry_run,
        version=outcome.version,
        version_id=outcome.version_id,
        changes=urls().absolute_path(f"/changes/{outcome.version}") if outcome.committed else "",
        removed=counts["removed"],
        added=counts["added"],
        inferred_removed=inferred_removed,
        inferred_added=inferred_added,
        patch=outcome.patch,
        delta=rows(outcome.change, outcome.delta, namespaces),
        warnings=[w.format() for w in outcome.report.warnings],
    )


def outcome_response(outcome: Outcome, *, created: bool = False, location: str | None = None) -> Response:
    dry_run = not outcome.committed and outcome.changed
    answer = written(outcome, dry_run)
    if prefers_html(request.headers.get("Accept")):
        html = render_template("curate/written.html", written=answer)
        response = Response(html, mimetype="text/html")
    else:
        response = jsonify(to_json(answer))
    response.status_code = 201 if created else 200
    if location:
        response.headers["Location"] = location
    if outcome.committed:
        response.set_etag(entity_tag(outcome.version, outcome.version_id.encode("utf-8")))
    return response


def refusal_response(refusal: KGError) -> Response:
    """422: the SHACL report (or the clashes) of a write that would break the graph."""
    found = _violations(refusal)
    offers = [PROBLEM_JSON, "application/json", "text/html", *(f.media_type for f in REPORT_FORMATS)]
    chosen = negotiate(request.headers.get("Accept"), offers) or PROBLEM_JSON
    if prefers_html(request.headers.get("Accept")):
        chosen = "text/html"
    if chosen == "text/html":
        html = render_template("curate/refused.html", refusal=refusal, violations=found)
        response = Response(html, status=422, mimetype="text/html")
    elif chosen in (PROBLEM_JSON, "application/json"):
        response = jsonify(problem(refusal, found))
        response.status_code = 422
        response.mimetype = chosen
    else:
        fmt = next(f for f in REPORT_FORMATS if f.media_type == chosen)
        report = getattr(refusal, "report", None)
        triples = report_triples(found, report.results if report else [], state().namespaces)
        body = serialize_graph(triples, fmt, state().namespaces.prefixes)
        response = Response(body, status=422, content_type=fmt.content_type)
    response.headers["Cache-Control"] = "no-store"
    return response


def problem(refusal: KGError, found: list[Violation]) -> dict[str, Any]:
    """RFC 9457 problem details, with each violation and the triples of the write behind it."""
    details: dict[str, Any] = {
        "type": "about:blank",
        "title": refusal.title,
        "status": 422,
        "detail": refusal.message.splitlines()[0],
        "violations": to_json(found),
    }
    if isinstance(refusal, Inconsistent):
        details["clashes"] = refusal.details.get("clashes", [])
    return details


def _violations(refusal: KGError) -> list[Violation]:
    if isinstance(refusal, ValidationFailed) and refusal.report is not None and refusal.change is not None:
        return violations(refusal.report.results, refusal.change, state().namespaces, refusal.entailed)
    return []
