"""The SPARQL blueprint: ``/sparql`` (protocol, service description, query page),
``/.well-known/void`` and ``/dumps/<file>``."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, render_template, request, url_for
from rdflib import Graph

from kgapp import queries
from kgapp.app import EXTENSION_KEY, state
from kgapp.conneg import negotiate_or_406, prefers_html
from kgapp.errors import KGError, NoBuild, NotAcceptable, NotFound, QuerySyntaxError
from kgapp.sparql import dumps, ui
from kgapp.sparql.analysis import analyse
from kgapp.sparql.description import Links, service_description, void_description
from kgapp.sparql.executor import Job, QueryExecutor, WorkerFailed
from kgapp.sparql.formats import (
    HTML,
    ResultFormat,
    by_media_type,
    downloads_for,
    formats_for,
    names_for,
)
from kgapp.sparql.protocol import QueryRequest, read_request
from kgapp.store import KnowledgeStore, current_build_dir

log = logging.getLogger("kgapp.sparql")
blueprint = Blueprint("sparql", __name__)
EXECUTOR_KEY = "kgapp.sparql.executor"
RDF_DESCRIPTION_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
    "application/n-quads": "nt",  # N-Triples lines are N-Quads in the default graph
}
POSITION = re.compile(r"error at (\d+):(\d+)")


class RequestTooLarge(KGError):
    title = "Request too large"
    status = 413


@blueprint.record_once
def _create_executor(setup_state: Any) -> None:
    app: Flask = setup_state.app
    settings = app.extensions[EXTENSION_KEY].settings
    app.extensions[EXECUTOR_KEY] = QueryExecutor(settings.query_workers)


def executor() -> QueryExecutor:
    return current_app.extensions[EXECUTOR_KEY]


# Cross-cutting: the query log line and CORS ---------------------------------------------------
@blueprint.after_request
def _finish(response: Response) -> Response:
    _add_cors(response)
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


def _add_cors(response: Response) -> None:
    allowed = state().settings.cors_origins.strip()
    origin = request.headers.get("Origin")
    if not allowed:
        return
    if allowed == "*":
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif origin and origin in {o.strip() for o in allowed.split(",")}:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.vary.add("Origin")
    else:
        return
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, HEAD, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    response.headers["Access-Control-Expose-Headers"] = (
        "X-SPARQL-Rows, X-SPARQL-Truncated, X-SPARQL-Max-Rows, Server-Timing"
    )
    response.headers["Access-Control-Max-Age"] = "86400"


# The endpoint ---------------------------------------------------------------------------
@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    query_request = read_request(request)
    if query_request.query is None:
        if request.method == "POST":
            raise KGError("no query: send one in the 'query' parameter or as the request body")
        return _no_query(query_request)
    try:
        return _answer(query_request, query_request.query)
    except KGError as error:
        if not _wants_page(query_request) or error.status >= 500:
            raise
        response = _page(query=query_request.query, answer=None, error=error)
        response.status_code = error.status
        return response


def _wants_page(query_request: QueryRequest) -> bool:
    """A browser asking, or ``format=html``: answers (and query errors) as the query page."""
    if query_request.format_name is not None:
        return query_request.format_name.strip().lower() in {"html", HTML}
    return prefers_html(request.headers.get("Accept"))


def _no_query(query_request: QueryRequest) -> Response:
    if _wants_page(query_request):
        return _page(query=_starter_query(), answer=None)
    return _rdf_response(lambda: service_description(_store(), _links(), _license()))


def _answer(query_request: QueryRequest, query: str) -> Response:
    settings = state().settings
    if len(query.encode("utf-8")) > settings.max_request_bytes:
        raise RequestTooLarge(f"the query is longer than {settings.max_request_bytes} bytes")
    shape = analyse(query)
    form = shape.form or "SELECT"
    g.sparql_form = form
    chosen = _choose_format(form, query_request.format_name)
    limit = settings.query_timeout_s
    timeout = min(query_request.timeout_s or limit, limit)
    job = _job(query_request, query, shape.names_dataset, chosen.syntax)
    started = time.perf_counter()
    answer = executor().execute(job, timeout)
    elapsed_ms = (time.perf_counter() - started) * 1000
    g.sparql_query_ms = elapsed_ms
    _raise_failure(answer)
    if chosen.syntax == "html":
        response = _page(query=query, answer=answer, elapsed_ms=elapsed_ms, form=form)
    else:
        response = Response(answer["body"], content_type=chosen.content_type)
    response.headers["Server-Timing"] = f"query;dur={elapsed_ms:.1f}"
    response.headers["X-SPARQL-Rows"] = str(answer["rows"])
    if answer["truncated"]:
        response.headers["X-SPARQL-Truncated"] = "true"
        response.headers["X-SPARQL-Max-Rows"] = str(settings.max_result_rows)
    response.vary.add("Accept")
    return response


def _job(query_request: QueryRequest, query: str, query_dataset: bool, syntax: str) -> Job:
    """What a worker needs to run the query on the current build."""
    settings = state().settings
    inference = query_request.inference
    return Job(
        build_dir=str(_build_dir()),
        base_iri=state().namespaces.base,
        query=query,
        endpoint=url_for("sparql.endpoint", _external=True),
        syntax=syntax,
        max_rows=settings.max_result_rows,
        inference=settings.include_inferred_by_default if inference is None else inference,
        protocol_dataset=query_request.names_dataset,
        query_dataset=query_dataset,
        default_graphs=query_request.default_graphs,
        named_graphs=query_request.named_graphs,
    )


def _choose_format(form: str, format_name: str | None) -> ResultFormat:
    offers = [f.media_type for f in formats_for(form)]
    if format_name is None:
        return by_media_type(form, negotiate_or_406(request.headers.get("Accept"), offers))
    wanted = names_for(form).get(format_name.strip().lower(), format_name.strip().lower())
    if wanted not in offers:
        raise NotAcceptable(
            f"format={format_name!r} cannot be produced for a {form} query; available: "
            + ", ".join(sorted(names_for(form))),
            available=offers,
        )
    return by_media_type(form, wanted)


def _raise_failure(answer: dict[str, Any]) -> None:
    if answer["ok"]:
        return
    if answer["kind"] == "syntax":
        position = POSITION.search(answer["message"])
        line, column = (int(position[1]), int(position[2])) if position else (None, None)
        raise QuerySyntaxError(answer["message"], line=line, column=column)
    log.error("query failed in a worker: %s", answer["message"])
    raise WorkerFailed("the query failed inside the server; this is logged")


def _build_dir() -> Path:
    data_path = state().settings.data_path
    build_dir = current_build_dir(data_path)
    if build_dir is None:
        raise NoBuild(f"no build to query: run 'kgapp build' first (data directory {data_path.name})")
    return build_dir


def _page(
    query: str,
    answer: dict[str, Any] | None,
    elapsed_ms: float | None = None,
    form: str = "",
    error: KGError | None = None,
) -> Response:
    namespaces = state().namespaces
    results = ui.table(answer["table"], namespaces) if answer else None
    html = render_template(
        "sparql/query.html",
        query=query,
        form=form,
        results=results,
        truncated=bool(answer and answer["truncated"]),
        max_rows=state().settings.max_result_rows,
        elapsed_ms=elapsed_ms,
        examples=ui.examples(),
        prefixes=namespaces.prefixes,
        downloads=downloads_for(form or "SELECT"),
        timeout_s=state().settings.query_timeout_s,
        editor=_editor_available(),
        error=error,
    )
    return Response(html, content_type="text/html; charset=utf-8")


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


# Descriptions and dumps -----------------------------------------------------------------
def _store() -> KnowledgeStore:
    return state().store


def _license() -> str:
    return state().settings.license_iri


def _links() -> Links:
    return Links(
        endpoint=url_for("sparql.endpoint", _external=True),
        void=url_for("sparql.void", _external=True),
        dumps=[url_for("sparql.dump", file_name=d.file_name, _external=True) for d in dumps.DUMPS],
    )


def _rdf_response(build: Callable[[], Graph]) -> Response:
    """A description graph in the RDF format asked for (``format=`` or ``Accept``)."""
    accept = request.headers.get("Accept")
    format_name = request.args.get("format")
    offers = list(RDF_DESCRIPTION_TYPES)
    if format_name:
        chosen = {v: k for k, v in RDF_DESCRIPTION_TYPES.items()}.get(format_name) or format_name
        if chosen not in offers:
            raise NotAcceptable(f"format={format_name!r} is not one of {', '.join(offers)}")
    else:
        chosen = negotiate_or_406(accept, offers)
    body = build().serialize(format=RDF_DESCRIPTION_TYPES[chosen])
    response = Response(body, content_type=f"{chosen}; charset=utf-8")
    response.vary.add("Accept")
    return response


@blueprint.get("/.well-known/void")
def void() -> Response:
    return _rdf_response(lambda: void_description(_store(), _links(), _license()))


@blueprint.get("/dumps/<file_name>")
def dump(file_name: str) -> Response:
    store = _store()
    chosen = dumps.find(file_name)
    path = dumps.path_for(state().settings.data_path, store, chosen)
    response = Response(path.read_bytes(), content_type="application/gzip")
    response.headers["Content-Disposition"] = f'attachment; filename="{chosen.file_name}"'
    response.set_etag(f"{store.info.input_hash}-{chosen.file_name}")
    response.last_modified = _built_at(store.info.built_at)
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    response.make_conditional(request)
    return response


def _built_at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
