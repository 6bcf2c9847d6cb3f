"""The dataset as documents: the VoID description at ``/.well-known/void`` and the dumps at
``/dumps/<file>``; also how the service description is answered (shared with ``/sparql``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, request, send_file
from werkzeug.wrappers import Response as WerkzeugResponse

from kgapp import dumps
from kgapp.conneg import negotiate_or_406
from kgapp.errors import NotAcceptable
from kgapp.formats import RDF_GRAPH_FORMATS, by_name, content_type, offers, serialize_graph
from kgapp.namespaces import SD
from kgapp.sparql.description import Links, void_description
from kgapp.store import KnowledgeStore
from kgapp.web.pages import urls
from kgapp.web.state import state
from kgapp.web.urls import with_query

blueprint = Blueprint("dataset", __name__)

Describe = Callable[[KnowledgeStore, Links, str], list[ox.Triple]]


def _links() -> Links:
    builder = urls()
    return Links(
        endpoint=builder.absolute("sparql.endpoint"),
        void=builder.absolute("dataset.void"),
        dumps=[builder.absolute("dataset.dump", file_name=d.file_name) for d in dumps.DUMPS],
        update=builder.absolute("curate.update") if state().settings.write_tokens.strip() else None,
    )


def description_response(describe: Describe) -> Response:
    """A description in the RDF format asked for (``format=`` or ``Accept``)."""
    format_name = request.args.get("format")
    if format_name:
        chosen = by_name(format_name, RDF_GRAPH_FORMATS)
        if chosen is None:
            names = ", ".join(f.suffix for f in RDF_GRAPH_FORMATS)
            raise NotAcceptable(f"format={format_name!r} is not an RDF format offered here ({names})")
        media_type = chosen.media_type
    else:
        table = dict(offers(RDF_GRAPH_FORMATS))
        media_type = negotiate_or_406(request.headers.get("Accept"), list(table))
        chosen = table[media_type]
    kg = state()
    triples = describe(kg.store, _links(), kg.settings.license_iri)
    body = serialize_graph(triples, chosen, kg.namespaces.prefixes | {"sd": str(SD)})
    return Response(body, content_type=content_type(media_type))


@blueprint.get("/.well-known/void")
def void() -> Response:
    return description_response(void_description)


@blueprint.get("/dataset")
def dataset() -> WerkzeugResponse:
    """The dataset's own IRI (``<base>dataset``): see its description (303, as for a thing)."""
    return redirect(with_query(urls().page("dataset.void"), request.args.to_dict()), code=303)


@blueprint.get("/dumps/<file_name>")
def dump(file_name: str) -> Response:
    store = state().store
    chosen = dumps.find(file_name)
    path = dumps.dump_path(store, chosen.file_name)
    info = store.info
    response = send_file(
        path,
        mimetype="application/gzip",
        as_attachment=True,
        download_name=chosen.file_name,
        etag=f"{info.version_id or info.input_hash}-{chosen.file_name}",
        last_modified=datetime.fromisoformat(info.built_at.replace("Z", "+00:00")),
        max_age=3600,
        conditional=True,
    )
    response.cache_control.public = True
    return response
