"""Reading a SPARQL 1.1 Protocol query request (§2.1): GET, POST form-encoded, POST direct.

Everything a request can get wrong is reported here, before any work is done: no query or two,
an update, a body type the protocol does not define (415), a charset other than UTF-8, a graph
IRI that is not an absolute IRI, an unreadable ``timeout`` or ``inference`` value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Request
from werkzeug.datastructures import MultiDict

from kgapp.dataset import DatasetRequest
from kgapp.errors import KGError, QueryRefused

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
FORMAT_PARAMETERS = ("format", "output", "results")
MAX_DATASET_GRAPHS = 100  # the dataset holds about a dozen graphs


class UnsupportedMediaType(KGError):
    title = "Unsupported media type"
    status = 415


@dataclass(frozen=True)
class QueryRequest:
    """A query operation as the protocol defines it, plus this endpoint's own switches."""

    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    inference: bool | None = None  # None: the endpoint's default
    timeout_s: float | None = None
    format_name: str | None = None

    def dataset(self, inference_by_default: bool) -> DatasetRequest:
        inference = inference_by_default if self.inference is None else self.inference
        return DatasetRequest(self.default_graphs, self.named_graphs, inference)


def read_request(request: Request) -> QueryRequest:
    """The query operation carried by a GET or POST request."""
    if request.method in {"GET", "HEAD"}:
        return _from_parameters(request.args, body_query=None)
    mimetype = request.mimetype.lower()
    if mimetype == FORM:
        _require_utf8(request.mimetype_params, FORM)
        combined = MultiDict(request.args)
        combined.update(request.form)
        return _from_parameters(combined, body_query=None)
    if mimetype == DIRECT:
        _require_utf8(request.mimetype_params, DIRECT)
        return _from_parameters(request.args, body_query=_body_text(request))
    if mimetype == UPDATE:
        raise QueryRefused(
            "this endpoint is read-only: SPARQL Update requests (application/sparql-update) are not accepted",
            operation="update",
        )
    shown = mimetype or "none"
    raise UnsupportedMediaType(
        f"a query POST must be sent as {FORM} or {DIRECT}; the request's Content-Type is {shown}",
        content_type=shown,
    )


def _require_utf8(params: Mapping[str, str], media_type: str) -> None:
    charset = params.get("charset", "utf-8").strip().lower()
    if charset not in {"utf-8", "utf8"}:
        raise UnsupportedMediaType(
            f"{media_type} bodies must be UTF-8 encoded; the request says charset={charset}",
            charset=charset,
        )


def _body_text(request: Request) -> str:
    raw = request.get_data(cache=False)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KGError(f"the query body is not valid UTF-8 (byte {exc.start})") from exc


def _from_parameters(params: MultiDict[str, str], body_query: str | None) -> QueryRequest:
    if params.getlist("update"):
        raise QueryRefused(
            "this endpoint is read-only: the 'update' parameter (SPARQL Update) is not accepted",
            operation="update",
        )
    queries = params.getlist("query")
    if body_query is not None:
        queries = [*queries, body_query]
    if len(queries) > 1:
        raise KGError(f"a request carries exactly one query; this one has {len(queries)}")
    return QueryRequest(
        query=queries[0] if queries else None,
        default_graphs=_graph_iris(params.getlist("default-graph-uri"), "default-graph-uri"),
        named_graphs=_graph_iris(params.getlist("named-graph-uri"), "named-graph-uri"),
        inference=_boolean(params.get("inference"), "inference"),
        timeout_s=_timeout(params.get("timeout")),
        format_name=next((params[p] for p in FORMAT_PARAMETERS if params.get(p)), None),
    )


def _graph_iris(values: Sequence[str], parameter: str) -> tuple[str, ...]:
    if len(values) > MAX_DATASET_GRAPHS:
        raise KGError(
            f"{parameter}: {len(values)} graphs named; a request names at most {MAX_DATASET_GRAPHS}",
            parameter=parameter,
        )
    iris = []
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise KGError(f"{parameter}: {value!r} is not an absolute IRI ({exc})") from exc
        iris.append(value)
    return tuple(iris)


def _boolean(value: str | None, parameter: str) -> bool | None:
    if value is None or value == "":
        return None
    text = value.strip().lower()
    if text in {"true", "1", "yes", "on"}:
        return True
    if text in {"false", "0", "no", "off"}:
        return False
    raise KGError(f"{parameter}: expected true or false, got {value!r}")


def _timeout(value: str | None) -> float | None:
    if value is None or value == "":
        return None
    try:
        seconds = float(value)
    except ValueError as exc:
        raise KGError(f"timeout: expected a number of seconds, got {value!r}") from exc
    if not seconds > 0:
        raise KGError(f"timeout: must be a positive number of seconds, got {value!r}")
    return seconds
