"""Site pages that lead to the entity pages; each has a JSON twin at ``<path>.json``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from flask import Response, request

from kgapp.app import state
from kgapp.ld import search as searching
from kgapp.ld import sitedata
from kgapp.ld.responses import html_or_json
from kgapp.ld.urls import UrlBuilder
from kgapp.ld.views import blueprint
from kgapp.sparql import dumps

SEARCH_LIMIT = 50
SUGGEST_LIMIT = 10


def _urls() -> UrlBuilder:
    return UrlBuilder(state().namespaces)


def _twin(path: str) -> Callable[[Callable[[bool], Response]], Callable[[bool], Response]]:
    """Register a page at ``path`` and its JSON twin at ``path.json``."""

    def register(view: Callable[[bool], Response]) -> Callable[[bool], Response]:
        name = view.__name__
        blueprint.add_url_rule(path, endpoint=name, view_func=lambda: view(False))
        blueprint.add_url_rule(f"{path}.json", endpoint=f"{name}_json", view_func=lambda: view(True))
        return view

    return register


def _plain(items: list[Any]) -> list[Any]:
    return [asdict(i) if hasattr(i, "__dataclass_fields__") else i for i in items]


@_twin("/search")
def search_page(as_json: bool) -> Response:
    query = request.args.get("q", "")
    limit = SUGGEST_LIMIT if request.args.get("suggest") else SEARCH_LIMIT
    hits = searching.search(state().store, _urls(), query, limit=limit)
    body = {"query": query, "results": [h.to_dict() for h in hits]}
    data = {"search_query": query, "hits": hits}
    return html_or_json("ld/search.html", data, body, "/search", as_json)


@_twin("/browse")
def browse(as_json: bool) -> Response:
    store, urls = state().store, _urls()
    chosen = request.args.get("class", "")
    classes = sitedata.classes(store, urls)
    members = sitedata.members(store, urls, chosen) if chosen else []
    label = next((c["label"] for c in classes if c["iri"] == chosen), chosen)
    body = {"classes": classes} | ({"class": chosen, "members": members} if chosen else {})
    data = {"classes": classes, "chosen": chosen, "chosen_label": label, "members": members}
    return html_or_json("ld/browse.html", data, body, "/browse", as_json)


@_twin("/timeline")
def timeline(as_json: bool) -> Response:
    store, urls = state().store, _urls()
    actor, event_type = request.args.get("actor", ""), request.args.get("type", "")
    every_event = sitedata.timeline(store, urls)
    events = sitedata.narrowed(every_event, actor, event_type)
    filters = sitedata.timeline_filters(every_event)
    body = {"actor": actor or None, "type": event_type or None, "events": _plain(events)}
    data = {"events": events, "filters": filters, "actor": actor, "event_type": event_type}
    return html_or_json("ld/timeline.html", data, body, "/timeline", as_json)


@_twin("/conflicts")
def conflicts(as_json: bool) -> Response:
    found = sitedata.conflicts(state().store, _urls())
    body = {"conflicts": [_conflict_json(c) for c in found]}
    return html_or_json("ld/conflicts.html", {"conflicts": found}, body, "/conflicts", as_json)


def _conflict_json(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "subject": entry["subject"].iri,
        "property": entry["property"].iri,
        "values": [{"value": v["value"], "sources": [s.iri for s in v["sources"]]} for v in entry["values"]],
    }


@_twin("/sources")
def sources(as_json: bool) -> Response:
    found = sitedata.sources(state().store, _urls())
    return html_or_json("ld/sources.html", {"sources": found}, {"sources": found}, "/sources", as_json)


@_twin("/cite")
def cite(as_json: bool) -> Response:
    kg = state()
    info = kg.store.info
    body = {
        "title": "Hong Kong–United States relations knowledge graph",
        "license": kg.settings.license_iri,
        "base": kg.namespaces.base,
        "ontology": kg.namespaces.ontology_iri,
        "version": info.input_hash,
        "builtAt": info.built_at,
        "sparqlEndpoint": request.host_url.rstrip("/") + "/sparql",
        "void": request.host_url.rstrip("/") + "/.well-known/void",
        "dumps": [
            {"url": f"/dumps/{d.file_name}", "file": d.file_name, "description": d.description}
            for d in dumps.DUMPS
        ],
        "triples": {"asserted": info.asserted_triples, "inferred": info.inferred_triples},
        "graphs": info.graphs,
    }
    return html_or_json("ld/cite.html", {"cite": body}, body, "/cite", as_json)
