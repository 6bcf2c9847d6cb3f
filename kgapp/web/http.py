"""The HTTP layer around every response, whatever blueprint made it: CORS, ``Vary``, security and
caching headers, and the one error shape (JSON for API clients, a page for browsers)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from kgapp.conneg import prefers_html
from kgapp.errors import KGError, Unavailable
from kgapp.versions import entity_tag, request_tag
from kgapp.web.guard import REFUSAL_KEY
from kgapp.web.jsonview import keyed
from kgapp.web.state import state

log = logging.getLogger("kgapp.web")

CORS_METHODS = "GET, POST, HEAD, OPTIONS"
CORS_REQUEST_HEADERS = "Accept, Content-Type"
CORS_EXPOSED_HEADERS = "X-SPARQL-Rows, X-SPARQL-Truncated, X-SPARQL-Max-Rows, Server-Timing, Link"
# No inline script or style anywhere in our templates, so the policy needs no exception.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
CONDITIONAL_HEADERS = {
    "If-None-Match",
    "If-Modified-Since",
    "If-Match",
    "If-Unmodified-Since",
    "If-Range",
    "Range",
}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
HTML_SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
}


def install(app: Flask) -> None:
    app.register_error_handler(KGError, _kg_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    app.before_request(_refused_by_the_server)
    app.after_request(finish)


def _refused_by_the_server() -> None:
    """A request the server layer turned away (see kgapp.web.guard) gets the one error shape."""
    reason = request.environ.get(REFUSAL_KEY)
    if reason:
        raise Unavailable(reason, retry_after=1)


def finish(response: Response) -> Response:
    """What every response gets on its way out."""
    response.vary.add("Accept")  # almost every route negotiates, errors included
    _add_cors(response)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        for name, value in HTML_SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
    _add_caching(response)
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
    response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
    response.headers["Access-Control-Allow-Headers"] = CORS_REQUEST_HEADERS
    response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS
    response.headers["Access-Control-Max-Age"] = "86400"


def _add_caching(response: Response) -> None:
    """Answers to reads may be kept and revalidated (strong ETag, 304); errors are not kept."""
    if response.status_code >= 400:
        response.headers.setdefault("Cache-Control", "no-store")
        return
    if request.method not in {"GET", "HEAD"} or response.status_code != 200 or response.is_streamed:
        return
    if response.cache_control.no_store:
        return  # live state (/health): not to be revalidated either
    response.headers.setdefault("Cache-Control", "no-cache")
    if "ETag" not in response.headers:
        response.set_etag(page_tag())
    if CONDITIONAL_HEADERS.intersection(request.headers.keys()):
        response.make_conditional(request)


def read_version() -> int:
    """The version the request reads (0 when there is none to read)."""
    try:
        return state().store.info.version
    except KGError:
        return 0


def page_tag() -> str:
    """The entity tag of a page or document: a function of the version, the address, the formats
    accepted and the day (a page tells what is in force today)."""
    parts = (request.path, request.query_string.decode("latin-1"), request.headers.get("Accept", ""))
    return request_tag(read_version(), (*parts, date.today().isoformat()))


def version_tag(body: bytes) -> str:
    """The entity tag of an answer that is not a function of the request alone (a query that
    asks for the time, or for fresh blank nodes): from its bytes."""
    return entity_tag(read_version(), body)


# Errors ---------------------------------------------------------------------------------------
def error_response(status: int, title: str, message: str, details: dict[str, Any] | None = None) -> Response:
    """The one error shape: ``{"error", "status", "message", …details}`` or the error page."""
    extra = keyed(details or {})
    if prefers_html(request.headers.get("Accept")):
        html = render_template("error.html", status=status, title=title, message=message, details=extra)
        response = Response(html, status=status, mimetype="text/html")
    else:
        response = jsonify({"error": title, "status": status, "message": message} | extra)
        response.status_code = status
    return response


def _kg_error(error: KGError) -> Response:
    if error.private:
        log.warning("%s %s: %s (%s)", request.method, request.path, error.message, error.private)
    details = {k: v for k, v in error.details.items() if v is not None}
    response = error_response(error.status, error.title, error.message, details)
    if "retry_after" in details:
        response.headers["Retry-After"] = str(details["retry_after"])
    if "www_authenticate" in details:
        response.headers["WWW-Authenticate"] = str(details["www_authenticate"])
    return response


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    response = error_response(status, error.name, error.description or error.name)
    allow = error.get_response().headers.get("Allow")
    if status == 405 and allow:
        response.headers["Allow"] = allow
    return response


def _unexpected(error: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, "Internal server error", "the server failed to answer; this is logged")
