"""Site-wide pages: the home page and the health check."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from kgapp import queries
from kgapp.app import state
from kgapp.conneg import negotiate_or_406
from kgapp.errors import NoBuild
from kgapp.ld.formats import JSON
from kgapp.ld.provenance import source_documents
from kgapp.ld.responses import with_links
from kgapp.ld.terms import local_name, text_of
from kgapp.ld.urls import UrlBuilder
from kgapp.sparql import ui

blueprint = Blueprint("site", __name__)

TITLE = "Hong Kong–United States relations knowledge graph"


def _classes(urls: UrlBuilder) -> list[dict[str, Any]]:
    return [
        {
            "class": row["class"].value,
            "href": urls.href(row["class"].value),
            "label": text_of(row.get("label")) or local_name(row["class"].value),
            "count": int(row["count"].value),
        }
        for row in state().store.select(queries.load("class_counts"))
    ]


def _starting_points(urls: UrlBuilder) -> list[dict[str, Any]]:
    """What most other things respond to: where the story of the graph starts."""
    return [
        {
            "iri": row["target"].value,
            "href": urls.href(row["target"].value),
            "label": text_of(row.get("label")) or local_name(row["target"].value),
            "responses": int(row["responses"].value),
        }
        for row in state().store.select(queries.load("ld/most_answered"))
    ]


def _examples() -> list[dict[str, str]]:
    return [
        {
            "title": example.title,
            "description": example.description,
            "href": url_for("sparql.endpoint", query=example.text, format="html"),
        }
        for example in ui.examples()
    ]


def overview() -> dict[str, Any]:
    """What the home page shows, computed once and rendered as HTML or JSON."""
    kg = state()
    store = kg.store
    info = store.info
    urls = UrlBuilder(kg.namespaces)
    sources = [
        doc.to_dict() | {"href": doc.href}
        for doc in sorted(source_documents(store, urls).values(), key=lambda d: (d.date or "", d.title))
    ]
    return {
        "title": TITLE,
        "base": kg.namespaces.base,
        "built_at": info.built_at,
        "asserted_triples": info.asserted_triples,
        "inferred_triples": info.inferred_triples,
        "conforms": info.conforms,
        "classes": _classes(urls),
        "sources": sources,
        "starting_points": _starting_points(urls),
        "examples": _examples(),
    }


@blueprint.get("/")
def home() -> Response:
    chosen = negotiate_or_406(request.headers.get("Accept"), ["text/html", "application/json"])
    return _home(as_json=chosen == "application/json")


@blueprint.get("/index.json")
def home_json() -> Response:
    return _home(as_json=True)


def _home(as_json: bool) -> Response:
    data = overview()
    alternates = [(JSON, url_for("site.home_json"))]
    if as_json:
        response = jsonify(data)
    else:
        response = Response(render_template("home.html", alternates=alternates, **data))
    return with_links(response, alternates)


@blueprint.get("/health")
def health():
    """Liveness plus data state; 503 while there is no build to serve."""
    kg = state()
    try:
        info = kg.store.info
    except NoBuild as exc:
        return jsonify({"status": "no-data", "message": exc.message}), 503
    return jsonify(
        {
            "status": "ok",
            "build": {
                "input_hash": info.input_hash,
                "built_at": info.built_at,
                "asserted_triples": info.asserted_triples,
                "inferred_triples": info.inferred_triples,
                "graphs": len(info.graphs),
            },
            "validation": {
                "conforms": info.conforms,
                "violations": info.violations,
                "warnings": info.warnings,
            },
        }
    )
