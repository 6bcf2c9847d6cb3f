"""The SPARQL blueprint: ``/sparql`` answers the SPARQL 1.1 Protocol (GET, form POST, direct
POST), gives the service description when there is no query, and the query page to browsers."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, jsonify, render_template, request
from flask.blueprints import BlueprintSetupState

from kgapp import queries
from kgapp.backend import is_remote
from kgapp.conneg import prefers_html
from kgapp.engine.answer import Limits
from kgapp.engine.constant import answer_without_data
from kgapp.engine.job import Answer, Failure, Job
from kgapp.engine.reply import choose_format
from kgapp.errors import KGError, NotAcceptable, NotFound, QueryFailed, QuerySyntaxError
from kgapp.formats import HTML, Format, answer_formats
from kgapp.querytext import QueryText, is_repeatable, read
from kgapp.readmodel.names import labels
from kgapp.sparql import query_page
from kgapp.sparql.dataset_documents import description_response
from kgapp.sparql.description import service_description
from kgapp.sparql.editor_support import ErrorPosition, Snippet, error_position, snippets, vocabulary
from kgapp.sparql.protocol import QueryRequest, read_request
from kgapp.sparqlsyntax.constant import reads_no_data
from kgapp.versions import request_tag
from kgapp.web.accesslog import note
from kgapp.web.http import read_version, version_tag
from kgapp.web.jsonview import to_json
from kgapp.web.pages import Page, urls
from kgapp.web.state import EXTENSION_KEY, state

log = logging.getLogger("kgapp.sparql")
blueprint = Blueprint("sparql", __name__)


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
    snippets: list[Snippet]
    error_at: ErrorPosition | None


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
    text = read(query, state().namespaces.prefixes)
    page = _wants_page(query_request)
    chosen = None if page else _negotiate(text, query_request)
    tag = _tag(query_request, query, page, chosen) if is_repeatable(query, text.form) else None
    if tag is not None and request.method in {"GET", "HEAD"} and _still_valid(tag):
        return _not_modified(tag)  # the client holds this answer: nothing runs
    limits = Limits(_row_cap(page), settings.max_answer_bytes)
    job = Job(
        build=state().store.build_key,
        base_iri=state().namespaces.base,
        query=query,
        endpoint=urls().absolute("sparql.endpoint"),
        limits=limits,
        dataset=query_request.dataset(settings.include_inferred_by_default),
        accept=request.headers.get("Accept"),
        format_name=None if page else query_request.format_name,
        table=page,
        text=text,
        chosen=chosen,
    )
    started = time.perf_counter()
    if _answered_here(query):
        outcome = answer_without_data(job)
    else:
        outcome = state().engine.execute(job, _timeout(query_request))
    answer = _succeeded(outcome)
    elapsed_ms = (time.perf_counter() - started) * 1000
    for name, value in (("form", answer.form), ("rows", answer.rows), ("query_ms", f"{elapsed_ms:.1f}")):
        note(request.environ, name, value)
    if answer.truncated_by:
        note(request.environ, "truncated", answer.truncated_by)
    if page:
        response = _page(query, answer=answer, elapsed_ms=elapsed_ms)
    else:
        response = Response(answer.body, content_type=answer.content_type)
    if request.method in {"GET", "HEAD"}:
        response.set_etag(tag or version_tag(answer.body))
    response.headers["Server-Timing"] = f"query;dur={elapsed_ms:.1f}"
    response.headers["X-SPARQL-Rows"] = str(answer.rows)
    if answer.truncated_by:
        response.headers["X-SPARQL-Truncated"] = "true"
        response.headers["X-SPARQL-Truncated-By"] = answer.truncated_by
        response.headers["X-SPARQL-Max-Rows"] = str(limits.max_rows)
        response.headers["X-SPARQL-Max-Bytes"] = str(limits.max_bytes)
    return response


def _tag(query_request: QueryRequest, query: str, page: bool, chosen: tuple[str, str] | None) -> str:
    """The answer's entity tag, from the version and what of the request decides the answer."""
    parts = (
        query,
        "|".join(query_request.default_graphs),
        "|".join(query_request.named_graphs),
        str(query_request.inference),
        query_request.format_name or "",
        request.headers.get("Accept", ""),
        "page" if page else "|".join(chosen or ()),
    )
    return request_tag(read_version(), parts)


def _still_valid(tag: str) -> bool:
    held = request.if_none_match
    return bool(held) and (held.star_tag or held.contains_weak(tag))


def _not_modified(tag: str) -> Response:
    response = Response(status=304)
    response.set_etag(tag)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _answered_here(query: str) -> bool:
    """Whether a query is answered in this process, without a query process: one that reads no
    data (``ASK {}``), so that it answers while long queries fill the pool. Not where the data
    is another store's (its answer says that store answers), nor where the query processes
    refuse every query (they could not be isolated: nothing runs)."""
    if is_remote(state().settings) or not reads_no_data(query, state().namespaces.prefixes):
        return False
    return not state().engine.state().queries_refused


def _negotiate(text: QueryText, query_request: QueryRequest) -> tuple[str, str]:
    """The format to answer in, chosen before the query runs: 406 at once when none fits."""
    chosen = choose_format(text.form, request.headers.get("Accept"), query_request.format_name)
    if isinstance(chosen, Failure):
        raise NotAcceptable(chosen.message, available=list(chosen.available))
    media_type, fmt = chosen
    return media_type, fmt.suffix


def _row_cap(page: bool) -> int:
    """Rows an answer holds at most; the query page shows fewer, and links the full answer."""
    settings = state().settings
    return min(settings.max_table_rows, settings.max_result_rows) if page else settings.max_result_rows


def _timeout(query_request: QueryRequest) -> float:
    """The client's timeout, cut to the endpoint's limit and raised to its minimum (a client may
    not make the server kill and restart a query process for every request)."""
    settings = state().settings
    limit = settings.query_timeout_s
    asked = query_request.timeout_s or limit
    return max(min(asked, limit), min(settings.min_query_timeout_s, limit))


def _succeeded(outcome: Answer | Failure) -> Answer:
    if isinstance(outcome, Answer):
        return outcome
    if outcome.kind == "syntax":
        raise QuerySyntaxError(outcome.message, line=outcome.line, column=outcome.column)
    if outcome.kind == "evaluation":
        raise KGError(f"the query cannot be evaluated: {outcome.message}")
    if outcome.kind in {"not-acceptable", "unserializable"}:
        raise NotAcceptable(outcome.message, available=list(outcome.available))
    log.error("query failed in a query process: %s", outcome.message)
    raise QueryFailed("the query failed inside the server; this is logged")


def _page(
    query: str,
    answer: Answer | None = None,
    elapsed_ms: float | None = None,
    error: KGError | None = None,
    status: int = 200,
) -> Response:
    settings = state().settings
    form = answer.form if answer else ""
    page = QueryPage(
        query=query,
        form=form,
        table=query_page.table(json.loads(answer.body), urls(), labels(state().store)) if answer else None,
        truncated=bool(answer and answer.truncated_by),
        max_rows=_row_cap(page=True),
        elapsed_ms=elapsed_ms,
        examples=query_page.examples(),
        prefixes=state().namespaces.prefixes,
        downloads=[f for f in answer_formats(form or "SELECT") if f is not HTML],
        timeout_s=settings.query_timeout_s,
        editor=_editor_available(),
        error=error,
        snippets=snippets(query, urls().absolute("sparql.endpoint")),
        error_at=error_position(error, query),
    )
    html = render_template(page.template, page=page)
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def _starter_query() -> str:
    """The editor's first text: a small useful query. The endpoint predeclares the project's
    prefixes (listed under the editor), so the text does not open with a screen of them."""
    starter = queries.load("sparql/starter")
    body = "\n".join(line for line in starter.splitlines() if not line.startswith("#"))
    return STARTER_NOTE + body.strip() + "\n"


STARTER_NOTE = "# hkus:, id:, rdfs: and the other prefixes listed below the editor are predeclared\n"


# Editor assets installed by npm (``npm ci``), served by the app: no CDN ---------------------
EDITOR_ASSETS = {
    "codemirror.js": ("codemirror/lib/codemirror.js", "text/javascript"),
    "codemirror.css": ("codemirror/lib/codemirror.css", "text/css"),
    "sparql.js": ("codemirror/mode/sparql/sparql.js", "text/javascript"),
    "show-hint.js": ("codemirror/addon/hint/show-hint.js", "text/javascript"),
    "show-hint.css": ("codemirror/addon/hint/show-hint.css", "text/css"),
}


def _editor_asset_path(name: str, project_root: Path | None = None) -> Path:
    relative, _ = EDITOR_ASSETS[name]
    return (project_root or state().settings.project_root) / "node_modules" / relative


def _editor_available(project_root: Path | None = None) -> bool:
    return all(_editor_asset_path(name, project_root).is_file() for name in EDITOR_ASSETS)


@blueprint.record_once
def _say_when_the_editor_is_missing(setup: BlueprintSetupState) -> None:
    if not _editor_available(setup.app.extensions[EXTENSION_KEY].settings.project_root):
        log.warning(query_page.EDITOR_MISSING)


@blueprint.get("/sparql/completions.json")
def completions() -> Response:
    """What the query editor completes: prefixes, classes and properties of this build."""
    return jsonify(to_json(vocabulary(state().store, urls())))


@blueprint.get("/sparql/editor/<name>")
def editor_asset(name: str) -> Response:
    if name not in EDITOR_ASSETS or not _editor_asset_path(name).is_file():
        raise NotFound(f"no editor asset {name!r} (the editor files come from 'npm ci')")
    response = Response(_editor_asset_path(name).read_bytes(), content_type=EDITOR_ASSETS[name][1])
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
