"""The write surface: SPARQL 1.1 Update at ``/update``, the SPARQL 1.1 Graph Store HTTP Protocol
at ``/graph-store`` (indirect: ``?graph=``, ``?default``) and ``/graph-store/<path>`` (direct: the
request's own URL names the graph), and the curator page at ``/curate``.

Every write goes through :func:`kgapp.writes.submit.submit`: token, scope, ``If-Match``, the
sourcing rule, the shapes and consistency, then one commit. A refused write answers 4xx with
what refused it and changes nothing; ``dry-run`` answers what a commit would do.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pyoxigraph as ox
from flask import Blueprint, Response, request

from kgapp.conneg import negotiate_or_406
from kgapp.curate.answers import outcome_response, refusal_response
from kgapp.curate.auth import writer_of
from kgapp.curate.page import curator_get, curator_post
from kgapp.errors import KGError, NotFound, ValidationFailed
from kgapp.formats import RDF_GRAPH_FORMATS, TURTLE, serialize_graph
from kgapp.reasoning import Inconsistent
from kgapp.web.state import state
from kgapp.writes.forward import answer_headers
from kgapp.writes.graphstore import (
    add_to_graph,
    body_format,
    delete_graph,
    graph_iri,
    parse,
    parse_graph,
    replace_graph,
    run_update,
    with_protocol_dataset,
)
from kgapp.writes.submit import MakeChange, WriteRequest, submit

blueprint = Blueprint("curate", __name__)
GRAPH_STORE = "/graph-store"
TRUE_WORDS = {"", "1", "true", "yes", "on"}


@blueprint.before_request
def _to_the_writer_service() -> Response | None:
    """Under ``kgapp serve``, a write goes whole to the writer service, which answers it with
    this same app (:mod:`kgapp.writerservice`); reads stay here."""
    forwarder = state().forwarder
    if forwarder is None or request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    answer = forwarder.forward(request.environ, request.get_data())
    return Response(answer.body, status=answer.status, headers=answer_headers(answer))


def _parameter(name: str) -> str | None:
    found = request.args.get(name)
    return (
        found
        if found is not None
        else request.form.get(name)
        if request.mimetype.endswith("urlencoded")
        else None
    )


def _write_request() -> WriteRequest:
    dry = _parameter("dry-run")
    return WriteRequest(
        writer_of(request, state().settings),
        message=_parameter("message") or request.headers.get("X-Change-Message", ""),
        dry_run=dry is not None and dry.strip().lower() in TRUE_WORDS,
        if_match=request.headers.get("If-Match"),
    )


def _submitted(
    make: Callable[[], MakeChange], created: bool = False, location: str | None = None
) -> Response:
    """Authenticate, build the change inside the writer, answer the outcome or the refusal."""
    write_request = _write_request()
    try:
        outcome = submit(state().settings, make(), write_request, state().writers)
    except (ValidationFailed, Inconsistent) as refusal:
        return refusal_response(refusal)
    return outcome_response(outcome, created=created and outcome.committed, location=location)


# SPARQL 1.1 Update -----------------------------------------------------------------------------
@blueprint.route("/update", methods=["POST"])
def update() -> Response:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise KGError(f"an update is sent in UTF-8, not {charset}", 415)
    if request.mimetype == "application/sparql-update":
        text = request.get_data(as_text=True)
    elif request.mimetype == "application/x-www-form-urlencoded":
        texts = request.form.getlist("update")
        if len(texts) > 1:
            raise KGError("send one 'update' parameter: the protocol allows one update string per request")
        text = texts[0] if texts else ""
    else:
        raise KGError(
            "send the update as 'application/sparql-update', or as the form field 'update' "
            "('application/x-www-form-urlencoded')",
            415,
        )
    if not text.strip():
        raise KGError("no update: send one as the request body or in the 'update' parameter")
    namespaces = state().namespaces
    tree = with_protocol_dataset(
        parse(text, namespaces, namespaces.base),
        request.args.getlist("using-graph-uri") + request.form.getlist("using-graph-uri"),
        request.args.getlist("using-named-graph-uri") + request.form.getlist("using-named-graph-uri"),
    )
    return _submitted(lambda: run_update(tree, state().settings.query_timeout_s))


# SPARQL 1.1 Graph Store HTTP Protocol ----------------------------------------------------------
@blueprint.route(GRAPH_STORE, methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def graph_store_indirect() -> Response:
    graph = request.args.get("graph")
    if graph is not None:
        graph = graph_iri(graph, request.base_url)
    if graph is None and "default" not in request.args:
        if request.method == "POST":
            return _create_graph()
        raise KGError("name the graph: '?graph=<IRI>', or '?default' for the default graph")
    return _graph_operation(graph)


@blueprint.route(GRAPH_STORE + "/<path:rest>", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def graph_store_direct(rest: str) -> Response:
    return _graph_operation(request.base_url)


def _graph_operation(graph: str | None) -> Response:
    if request.method in ("GET", "HEAD"):
        return _read_graph(graph)
    if request.method == "DELETE":
        return _submitted(lambda: delete_graph(graph))
    existed = _graph_held(graph)
    if request.method == "PUT":
        triples = parse_graph(
            request.get_data(), body_format(request.content_type), graph or request.base_url
        )
        return _submitted(lambda: replace_graph(graph, triples), created=not existed)
    triples = _multipart_or_body(graph or request.base_url)
    return _submitted(lambda: add_to_graph(graph, triples), created=not existed)


def _create_graph() -> Response:
    """POST to the graph store itself: a new graph, named by the server, answered 201 with it."""
    iri = f"{request.base_url}/{uuid.uuid4().hex}"
    triples = _multipart_or_body(iri)
    return _submitted(lambda: add_to_graph(iri, triples), created=True, location=iri)


def _multipart_or_body(base: str) -> list[ox.Triple]:
    if request.mimetype == "multipart/form-data":
        found: list[ox.Triple] = []
        for item in request.files.values():
            found += parse_graph(item.read(), body_format(item.mimetype), base)
        return found
    return parse_graph(request.get_data(), body_format(request.content_type), base)


def _graph_held(graph: str | None) -> bool:
    namespaces = state().namespaces
    if graph is None:
        return True
    return graph in state().store.graph_names() or graph in namespaces.hidden_graphs


def _read_graph(graph: str | None) -> Response:
    namespaces = state().namespaces
    store = state().store
    name = graph if graph is not None else namespaces.unnamed_graph
    if graph is not None and (graph not in store.graph_names() or graph in namespaces.hidden_graphs):
        raise NotFound(f"there is no graph <{graph}> in the graph store")
    media_type = negotiate_or_406(request.headers.get("Accept"), [f.media_type for f in RDF_GRAPH_FORMATS])
    fmt = next(f for f in RDF_GRAPH_FORMATS if f.media_type == media_type) if media_type else TURTLE
    triples = [q for q in store.quads(name)]
    body = serialize_graph(triples, fmt, namespaces.prefixes, with_graphs=False)
    return Response(body, content_type=fmt.content_type)


# The curator page ------------------------------------------------------------------------------
blueprint.add_url_rule("/curate", "curate", curator_get, methods=["GET"])
blueprint.add_url_rule("/curate", "curate_post", curator_post, methods=["POST"])
