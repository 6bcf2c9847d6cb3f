"""The SPARQL blueprint: ``/sparql`` answers the SPARQL 1.1 Protocol (GET, form POST, direct
POST), gives the service description when there is no query, and the query page to browsers."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, g, render_template, request

from kgapp import queries
from kgapp.conneg import negotiate_or_406, prefers_html
from kgapp.engine.job import Answer, Failure, Job
from kgapp.errors import KGError, NotAcceptable, NotFound, QueryFailed, QuerySyntaxError
from kgapp.formats import HTML, Format, answer_formats, by_name, content_type, offers
from kgapp.querytext import analyse
from kgapp.sparql import query_page
from kgapp.sparql.dataset_documents import description_response
from kgapp.sparql.description import service_description
from kgapp.sparql.protocol import QueryRequest, read_request
from kgapp.web.pages import Page, urls
from kgapp.web.state import state

log = logging.getLogger("kgapp.sparql")
blueprint = Blueprint("sparql", __name__)
POSITION = re.compile(r"error at (\d+):(\d+)")


class RequestTooLarge(KGError):
    title = "Request too large"
    status = 413


@dataclass
class QueryPage(Page):
    """The query editor, with an answer or an error when a query was run from it."""

    template = "sparql/query.html"

    query: str
    form: str
    table: query_page.Table | None
    truncated: bool
    max_rows: int
    elapsed_ms: float | None
    examples: list[queries.Example]
    prefixes: dict[str, str]
    downloads: list[Format]
    timeout_s: float
    editor: bool
    error: KGError | None


@blueprint.after_request
def _log_query(response: Response) -> Response:
    if "sparql_form" in g:
        log.info(
            "query form=%s status=%s rows=%s truncated=%s query_ms=%s",
            g.sparql_form,
            response.status_code,
            response.headers.get("X-SPARQL-Rows", "-"),
            "X-SPARQL-Truncated" in response.headers,
            f"{g.sparql_query_ms:.1f}" if "sparql_query_ms" in g else "-",
        )
    return response


@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    query_request = read_request(request)
    if query_request.query is None:
        if request.method == "POST":
            raise KGError("no query: send one in the 'query' parameter or as the request body")
        if _wants_page(query_request):
            return _page(_starter_query())
        return description_response(service_description)
    try:
        return _answer(query_request, query_request.query)
    except KGError as error:
        if not _wants_page(query_request) or error.status >= 500:
            raise
        return _page(query_request.query, error=error, status=error.status)


def _wants_page(query_request: QueryRequest) -> bool:
    """A browser asking, or ``format=html``: answers (and query errors) as the query page."""
    if query_request.format_name is not None:
        return HTML.accepts_name(query_request.format_name)
    return prefers_html(request.headers.get("Accept"))


def _answer(query_request: QueryRequest, query: str) -> Response:
    settings = state().settings
    if len(query.encode("utf-8")) > settings.max_request_bytes:
        raise RequestTooLarge(f"the query is longer than {settings.max_request_bytes} bytes")
    shape = analyse(query)
    form = shape.form or "SELECT"
    g.sparql_form = form
    media_type, chosen = _choose_format(form, query_request.format_name)
    timeout = min(query_request.timeout_s or settings.query_timeout_s, settings.query_timeout_s)
    job = Job(
        build_dir=str(state().store.build_dir),
        base_iri=state().namespaces.base,
        query=query,
        endpoint=urls().absolute("sparql.endpoint"),
        answer_format=chosen.suffix,
        max_rows=settings.max_result_rows,
        dataset=query_request.dataset(settings.include_inferred_by_default),
    )
    started = time.perf_counter()
    answer = _succeeded(state().engine.execute(job, timeout))
    elapsed_ms = g.sparql_query_ms = (time.perf_counter() - started) * 1000
    if chosen is HTML:
        response = _page(query, answer=answer, elapsed_ms=elapsed_ms, form=form)
    else:
        response = Response(answer.body, content_type=content_type(media_type))
    response.headers["Server-Timing"] = f"query;dur={elapsed_ms:.1f}"
    response.headers["X-SPARQL-Rows"] = str(answer.rows)
    if answer.truncated:
        response.headers["X-SPARQL-Truncated"] = "true"
        response.headers["X-SPARQL-Max-Rows"] = str(settings.max_result_rows)
    return response


def _choose_format(form: str, format_name: str | None) -> tuple[str, Format]:
    """The media type to answer with and the format that produces it (``format=`` first)."""
    candidates = answer_formats(form)
    table = dict(offers(candidates))
    if format_name is None:
        media_type = negotiate_or_406(request.headers.get("Accept"), list(table))
        return media_type, table[media_type]
    chosen = by_name(format_name, candidates)
    if chosen is None:
        names = sorted({n for f in candidates for n in (f.suffix, *f.names)})
        raise NotAcceptable(
            f"format={format_name!r} cannot be produced for a {form} query; available: " + ", ".join(names),
            available=[f.media_type for f in candidates],
        )
    wanted = format_name.strip().lower()
    return (wanted if wanted in table else chosen.media_type), chosen


def _succeeded(outcome: Answer | Failure) -> Answer:
    if isinstance(outcome, Answer):
        return outcome
    if outcome.kind == "syntax":
        position = POSITION.search(outcome.message)
        line, column = (int(position[1]), int(position[2])) if position else (None, None)
        raise QuerySyntaxError(outcome.message, line=line, column=column)
    log.error("query failed in a worker: %s", outcome.message)
    raise QueryFailed("the query failed inside the server; this is logged")


def _page(
    query: str,
    answer: Answer | None = None,
    elapsed_ms: float | None = None,
    form: str = "",
    error: KGError | None = None,
    status: int = 200,
) -> Response:
    settings = state().settings
    page = QueryPage(
        query=query,
        form=form,
        table=query_page.table(answer.table, urls()) if answer and answer.table else None,
        truncated=bool(answer and answer.truncated),
        max_rows=settings.max_result_rows,
        elapsed_ms=elapsed_ms,
        examples=query_page.examples(),
        prefixes=state().namespaces.prefixes,
        downloads=[f for f in answer_formats(form or "SELECT") if f is not HTML],
        timeout_s=settings.query_timeout_s,
        editor=_editor_available(),
        error=error,
    )
    html = render_template(page.template, page=page)
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def _starter_query() -> str:
    """The editor's first text: every project prefix declared, then a small useful query."""
    starter = queries.load("sparql/starter")
    body = "\n".join(line for line in starter.splitlines() if not line.startswith("#"))
    return state().namespaces.sparql_prologue() + "\n" + body.strip() + "\n"


# Editor assets installed by npm (``npm ci``), served by the app: no CDN ---------------------
EDITOR_ASSETS = {
    "codemirror.js": ("codemirror/lib/codemirror.js", "text/javascript"),
    "codemirror.css": ("codemirror/lib/codemirror.css", "text/css"),
    "sparql.js": ("codemirror/mode/sparql/sparql.js", "text/javascript"),
}


def _editor_asset_path(name: str) -> Path:
    relative, _ = EDITOR_ASSETS[name]
    return state().settings.project_root / "node_modules" / relative


def _editor_available() -> bool:
    return all(_editor_asset_path(name).is_file() for name in EDITOR_ASSETS)


@blueprint.get("/sparql/editor/<name>")
def editor_asset(name: str) -> Response:
    if name not in EDITOR_ASSETS or not _editor_asset_path(name).is_file():
        raise NotFound(f"no editor asset {name!r} (the editor files come from 'npm ci')")
    response = Response(_editor_asset_path(name).read_bytes(), content_type=EDITOR_ASSETS[name][1])
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
