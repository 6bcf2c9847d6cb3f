"""The history blueprint: the changes page and feeds, each version's change record, each
entity's history, TimeMaps; and the Memento hooks every request passes through."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, render_template, request

from kgapp.conneg import negotiate_or_406
from kgapp.errors import KGError, NotFound
from kgapp.formats import HTML, JSON, RDF_GRAPH_FORMATS, Format, by_suffix, serialize_graph, split_suffix
from kgapp.history import memento
from kgapp.history.provenance import PROV_PREFIXES, activities
from kgapp.history.records import (
    ChangesPage,
    change_page,
    changes_page,
    comparison_page,
    entity_history_page,
    feed_entries,
)
from kgapp.history.timemap import LINK_FORMAT, timemap
from kgapp.ld.describe import exists
from kgapp.versions import VersionIndex
from kgapp.web.pages import Page, json_response, page_route, render_page, urls
from kgapp.web.state import state

blueprint = Blueprint("history", __name__)
ATOM = "application/atom+xml"


def _index() -> VersionIndex:
    found = state().versions
    if found is None:
        raise NotFound("the history of versions is kept with the embedded store only")
    return found


@page_route(blueprint, "/changes")
def changes() -> ChangesPage:
    return changes_page(_index(), urls(), request.args.get("agent"))


RDF_SUFFIXES = "any(ttl, nt, jsonld)"


@blueprint.get(f"/changes.<{RDF_SUFFIXES}:suffix>")
def changes_rdf(suffix: str) -> Response:
    """Every change record as PROV-O: the export of the history."""
    index = _index()
    return _rdf(activities(index, [v.number for v in index.all()], urls()), suffix)


@blueprint.get(f"/changes/<int:number>.<{RDF_SUFFIXES}:suffix>")
def change_rdf(number: int, suffix: str) -> Response:
    return _rdf(activities(_index(), [number], urls()), suffix)


def _rdf(triples: list[ox.Triple], suffix: str) -> Response:
    fmt = by_suffix(suffix, RDF_GRAPH_FORMATS)
    assert fmt is not None
    body = serialize_graph(triples, fmt, state().namespaces.prefixes | PROV_PREFIXES)
    return Response(body, content_type=fmt.content_type)


@blueprint.get("/changes.atom")
def changes_feed() -> Response:
    entries = feed_entries(_index(), state().store, urls())
    feed = render_template(
        "history/changes.atom.xml", entries=entries, self_url=request.url, site=request.host_url.rstrip("/")
    )
    return Response(feed, content_type=f"{ATOM}; charset=utf-8")


@blueprint.get("/changes/<int:number>")
def change(number: int) -> Response:
    return _negotiated(
        lambda: change_page(_index(), number, state().store, urls()), _twins(f"/changes/{number}")
    )


@blueprint.get("/changes/<int:number>.json")
def change_json(number: int) -> Response:
    page = change_page(_index(), number, state().store, urls())
    return json_response(page, _twins(f"/changes/{number}"))


@blueprint.get("/history/<path:target>")
def entity_history(target: str) -> Response:
    stem, fmt = split_suffix(target)
    iri = urls().iri_at(stem)
    twins = _twins(f"/history/{stem}")
    page = entity_history_page(_index(), iri, state().store, urls())
    if fmt is JSON:
        return json_response(page, twins)
    if fmt is not None and fmt is not HTML:
        raise NotFound(f"the history of a thing is a page (HTML) or JSON, not {fmt.suffix}")
    return _negotiated(lambda: page, twins)


@blueprint.get("/compare/<path:target>")
def compare(target: str) -> Response:
    """One thing in two versions, side by side (``?from=<n>&to=<m>``)."""
    stem, fmt = split_suffix(target)
    older, newer = _version_argument("from"), _version_argument("to")
    twins = [(HTML, f"{request.script_root}/compare/{stem}?{request.query_string.decode()}")]
    page = comparison_page(_index(), urls().iri_at(stem), older, newer, state().store, urls())
    if fmt is JSON:
        return json_response(page, twins)
    return _negotiated(lambda: page, twins)


def _version_argument(name: str) -> int:
    value = request.args.get(name, "")
    if not value.isdigit() or len(value) > 9:
        raise KGError(f"'{name}' must be a version number, such as {name}=3; got {value!r}")
    return int(value)


@blueprint.get("/timegate/<path:target>")
def time_gate(target: str) -> Response:
    """A TimeGate in the aggregators' form (``/timegate/<URI-R>``) for any resource of ours, named
    by its IRI or its URL here; ``Accept-Datetime`` picks the time (now, without one)."""
    wanted = request.headers.get("Accept-Datetime")
    moment = memento.parse_accept_datetime(wanted) if wanted else datetime.now(UTC)
    original = _local_path(target)
    _known(original)
    return memento.redirect_to_memento(_index(), original, moment)


def _local_path(target: str) -> str:
    """The local path a TimeGate's target names: an IRI under our base, a URL of this app (its
    ``//`` may have been merged into ``/``), or a path."""
    query = request.query_string.decode("utf-8", "replace")
    whole = re.sub(r"^(https?):/+", r"\1://", target) + (f"?{query}" if query else "")
    path = urls().namespaces.path_of(whole) if whole.startswith(urls().namespaces.base) else None
    if path is None:
        parsed = urlsplit(whole)
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return "/" + path.lstrip("/")


@blueprint.get("/timemap/<any(link, json):kind>/<path:target>")
def time_map(kind: str, target: str) -> Response:
    original = "/" + target
    iri = _known(original)
    found = timemap(_index(), original, iri)
    if not found.mementos:
        raise NotFound(f"no retained version holds {original}")
    if kind == "json":
        return json_response(found.as_json(), [])
    return Response(found.link_format(), content_type=f"{LINK_FORMAT}; charset=utf-8")


def _known(path: str) -> str | None:
    """The IRI a local path names (None for the endpoint); NotFound when nothing is known of it."""
    bare = path.split("?", 1)[0]
    if bare == "/sparql":
        return None
    stem, _fmt = split_suffix(bare.lstrip("/"))
    iri = urls().iri_at(stem)
    try:
        known = exists(state().store, iri)
    except ValueError:  # not an IRI at all
        known = False
    if not known:
        raise NotFound(f"nothing is known about <{iri}>, so it has no past versions", iri=iri)
    return iri


def _twins(path: str) -> list[tuple[Format, str]]:
    root = request.script_root
    return [(HTML, root + path), (JSON, root + path + ".json")]


def _negotiated(make: Callable[[], Page], twins: list[tuple[Format, str]]) -> Response:
    chosen = negotiate_or_406(request.headers.get("Accept"), [HTML.media_type, JSON.media_type])
    page = make()
    if chosen == JSON.media_type:
        return json_response(page, twins)
    return render_page(page, twins)


def install(app: Flask) -> None:
    """Memento on every request: TimeGates redirect before the view, mementos say their time."""

    @app.before_request
    def negotiate_time() -> Response | None:
        return memento.timegate(state().versions)

    @app.after_request
    def say_time(response: Response) -> Response:
        return memento.add_memento_headers(response, state().versions)
