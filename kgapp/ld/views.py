"""Dereferencing: every IRI under the base answers at its own path.

``/id/x`` names a thing, not a document, so it answers ``303 See Other`` to the document
about it in the format the ``Accept`` header prefers (``/id/x.html``, ``/id/x.ttl``…); each
document URL serves exactly one format. See docs/linked-data.md.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from kgapp.app import state
from kgapp.conneg import negotiate_or_406, prefers_html
from kgapp.errors import NotFound
from kgapp.ld import describe as describing
from kgapp.ld import neighbourhood, ontology_doc, rdf, search
from kgapp.ld.formats import BY_MEDIA_TYPE, HTML, JSON, MEDIA_TYPES, Format, split_suffix
from kgapp.ld.responses import rdf_response, see_other, with_links
from kgapp.ld.urls import UrlBuilder

blueprint = Blueprint("ld", __name__)


def _urls() -> UrlBuilder:
    return UrlBuilder(state().namespaces)


def dereference(path: str) -> Response:
    """Answer for a path under one of the resource roots (``id/x``, ``ontology``, ``id/x.ttl``)."""
    kg = state()
    urls = _urls()
    stem, fmt = split_suffix(path)
    if fmt is not None:
        return represent(urls.iri_at(stem), fmt)
    iri = urls.iri_at(path)
    if not describing.exists(kg.store, iri):
        return not_found(iri)
    chosen = negotiate_or_406(request.headers.get("Accept"), MEDIA_TYPES)
    return see_other(urls.document(iri, BY_MEDIA_TYPE[chosen]), urls.alternates(iri))


def represent(iri: str, fmt: Format) -> Response:
    """One representation of a described resource."""
    kg = state()
    urls = _urls()
    if iri == kg.namespaces.ontology_iri:
        return ontology_doc.represent(kg.store, kg.namespaces, fmt, urls.alternates(iri))
    try:
        description = describing.describe(kg.store, kg.namespaces, iri)
    except NotFound:
        return not_found(iri)
    alternates = urls.alternates(iri)
    if fmt is HTML:
        html = render_template(
            "ld/entity.html",
            d=description,
            alternates=alternates,
            picture=neighbourhood.layout(description),
        )
        return with_links(Response(html, mimetype="text/html"), alternates)
    if fmt is JSON:
        return with_links(jsonify(description.to_dict()), alternates)
    return rdf_response(rdf.serialize(description, fmt, kg.namespaces), fmt, alternates)


def not_found(iri: str) -> Response:
    """404 for an IRI the graph never mentions, with the names it most resembles."""
    kg = state()
    matches = search.close_matches(kg.store, _urls(), iri)
    if prefers_html(request.headers.get("Accept")):
        html = render_template("ld/not_found.html", iri=iri, matches=matches)
        return Response(html, status=404, mimetype="text/html")
    body = {
        "error": "Not found",
        "status": 404,
        "message": f"nothing is known about <{iri}>",
        "iri": iri,
        "closeMatches": [m.to_dict() for m in matches],
    }
    response = jsonify(body)
    response.status_code = 404
    return response


def _register_roots() -> None:
    """One rule per resource root; the scheme and ontology IRIs are roots themselves."""
    for root in ("id", "source", "ontology", "measure-type", "shapes", "graph"):
        blueprint.add_url_rule(
            f"/{root}/<path:name>",
            endpoint=f"resource_{root}",
            view_func=lambda name, root=root: dereference(f"{root}/{name}"),
        )
    for document in ("ontology", "measure-type"):
        blueprint.add_url_rule(
            f"/{document}",
            endpoint=f"document_{document}",
            view_func=lambda document=document: dereference(document),
        )
        blueprint.add_url_rule(
            f"/{document}.<suffix>",
            endpoint=f"document_{document}_format",
            view_func=lambda suffix, document=document: dereference(f"{document}.{suffix}"),
        )


_register_roots()


@blueprint.after_request
def _vary_on_accept(response: Response) -> Response:
    response.vary.add("Accept")
    return response
