"""Site-wide pages: the home page and the health check."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template, request

from kgapp import queries
from kgapp.app import state
from kgapp.conneg import negotiate_or_406
from kgapp.errors import NoBuild

blueprint = Blueprint("site", __name__)


def _term_value(term: Any) -> str:
    return term.value if hasattr(term, "value") else str(term)


def overview() -> dict[str, Any]:
    """What the home page shows, computed once and rendered as HTML or JSON."""
    kg = state()
    store = kg.store
    info = store.info
    classes = [
        {
            "class": _term_value(r["class"]),
            "label": _term_value(r.get("label", r["class"])),
            "count": int(_term_value(r["count"])),
        }
        for r in store.select(queries.load("class_counts"))
    ]
    sources = [
        {"iri": _term_value(r["source"]), "title": _term_value(r.get("title", r["source"]))}
        for r in store.select(queries.load("source_list"))
    ]
    return {
        "title": "Hong Kong–United States relations knowledge graph",
        "base": kg.namespaces.base,
        "built_at": info.built_at,
        "asserted_triples": info.asserted_triples,
        "inferred_triples": info.inferred_triples,
        "conforms": info.conforms,
        "classes": classes,
        "sources": sources,
    }


@blueprint.get("/")
def home():
    data = overview()
    chosen = negotiate_or_406(request.headers.get("Accept"), ["text/html", "application/json"])
    if chosen == "application/json":
        return jsonify(data)
    return render_template("home.html", **data)


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
