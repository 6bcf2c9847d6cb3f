"""The linked-data blueprint: every IRI under the base answers at its own path.

``/id/x`` names a thing, not a document, so it answers ``303 See Other`` to the document about
it in the format the ``Accept`` header prefers (``/id/x.html``, ``/id/x.ttl``…); each document
URL serves exactly one format. The ontology and the measure-type scheme are documents themselves.
See docs/linked-data.md.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, request

from kgapp.conneg import negotiate_or_406
from kgapp.errors import NotFound
from kgapp.formats import DOCUMENT_FORMATS, HTML, JSON, Format, content_type, serialize_graph, split_suffix
from kgapp.ld import neighbourhood, rdf
from kgapp.ld.describe import describe, exists
from kgapp.ld.ontology_doc import ontology_page, ontology_triples
from kgapp.ld.status import DAY_PARAMETER, parse_day
from kgapp.readmodel.citing import build_of
from kgapp.readmodel.names import close_matches
from kgapp.web.pages import json_response, render_page, urls, with_links
from kgapp.web.state import state

blueprint = Blueprint("ld", __name__)

RESOURCE_ROOT = '<any(id, source, ontology, "measure-type", shapes, graph):root>'
DOCUMENT_ROOT = '<any(ontology, "measure-type"):document>'


@blueprint.get(f"/{RESOURCE_ROOT}/<path:name>")
def resource(root: str, name: str) -> Response:
    return _dereference(f"{root}/{name}")


@blueprint.get(f"/{DOCUMENT_ROOT}")
def document(document: str) -> Response:
    return _dereference(document)


@blueprint.get(f"/{DOCUMENT_ROOT}.<suffix>")
def document_format(document: str, suffix: str) -> Response:
    return _dereference(f"{document}.{suffix}")


def _dereference(path: str) -> Response:
    """Answer for a path under one of the resource roots (``id/x``, ``ontology``, ``id/x.ttl``)."""
    builder = urls()
    stem, fmt = split_suffix(path)
    if fmt is not None:
        return _represent(_iri_at(stem), fmt)
    iri = _iri_at(path)
    if not exists(state().store, iri):
        raise _not_found(iri)
    media_types = [f.media_type for f in DOCUMENT_FORMATS]
    chosen = negotiate_or_406(request.headers.get("Accept"), media_types)
    target = next(f for f in DOCUMENT_FORMATS if f.media_type == chosen)
    return _see_other(builder.document(iri, target), builder.alternates(iri))


def _iri_at(path: str) -> str:
    """The IRI a local path names; a path no IRI can be (a space, a byte that is not UTF-8…)
    names nothing here."""
    iri = urls().iri_at(path)
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise NotFound(f"<{iri}> is not an IRI, so nothing is known about it", iri=iri) from None
    return iri


def _represent(iri: str, fmt: Format) -> Response:
    """One representation of a described resource."""
    kg, builder = state(), urls()
    alternates = builder.alternates(iri)
    if iri == kg.namespaces.ontology_iri:
        return _ontology(fmt, alternates)
    day = parse_day(request.args.get(DAY_PARAMETER)) if fmt in (HTML, JSON) else None
    try:
        description = describe(kg.store, builder, iri, day, build_of(kg.store, kg.settings))
    except NotFound:
        raise _not_found(iri) from None
    if day:  # the page and its JSON twin on that day
        alternates = [
            (f, url + f"?{DAY_PARAMETER}={day}" if f in (HTML, JSON) else url) for f, url in alternates
        ]
    if fmt is HTML:
        return render_page(description, alternates, picture=neighbourhood.layout(description))
    if fmt is JSON:
        return json_response(description, alternates)
    body = rdf.document(kg.store, iri, fmt)
    return with_links(Response(body, content_type=content_type(fmt.media_type)), alternates)


def _ontology(fmt: Format, alternates: list[tuple[Format, str]]) -> Response:
    store = state().store
    if fmt is HTML:
        return render_page(ontology_page(store), alternates)
    if fmt is JSON:
        return json_response(ontology_page(store), alternates)
    graph = ox.NamedNode(store.namespaces.ontology_graph)
    triples = ontology_triples(store)
    items = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples] if fmt.is_dataset else triples
    body = serialize_graph(items, fmt, store.namespaces.prefixes)
    return with_links(Response(body, content_type=content_type(fmt.media_type)), alternates)


def _not_found(iri: str) -> NotFound:
    """404 for an IRI the graph never mentions, with the names it most resembles."""
    matches = close_matches(state().store, urls(), iri)
    return NotFound(f"nothing is known about <{iri}>", iri=iri, close_matches=matches)


def _see_other(location: str, alternates: list[tuple[Format, str]]) -> Response:
    """303 See Other: the IRI names a thing; the document about it lives at ``location``."""
    response = Response(f"See {location}\n", status=303, mimetype="text/plain")
    response.headers["Location"] = urls().absolute_path(location)  # absolute: older clients need it
    return with_links(response, alternates)
