"""Cross-cutting web concerns: the one error handler and response helpers shared by blueprints."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from kgapp.conneg import prefers_html
from kgapp.errors import KGError

log = logging.getLogger("kgapp.web")


def _error_response(status: int, title: str, message: str, extra: dict | None = None) -> Response:
    body = {"error": title, "status": status, "message": message} | (extra or {})
    if prefers_html(request.headers.get("Accept")):
        html = render_template("error.html", status=status, title=title, message=message)
        response = Response(html, status=status, mimetype="text/html")
    else:
        response = jsonify(body)
        response.status_code = status
    return response


def handle_kg_error(error: KGError) -> Response:
    extra = {k: v for k, v in error.to_dict().items() if k not in {"error", "status", "message"}}
    return _error_response(error.status, error.title, error.message, extra)


def handle_http_error(error: HTTPException) -> Response:
    status = error.code or 500
    response = _error_response(status, error.name, error.description or error.name)
    if status == 405 and error.get_response().headers.get("Allow"):
        response.headers["Allow"] = error.get_response().headers["Allow"]
    return response


def handle_unexpected(error: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _error_response(500, "Internal server error", "the server failed to answer; this is logged")


def install(app: Flask) -> None:
    app.register_error_handler(KGError, handle_kg_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
