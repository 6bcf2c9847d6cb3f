"""The site blueprint: home, health, browse, timeline, what answered a thing, conflicts, sources,
cite."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from kgapp.backend import backend_state
from kgapp.errors import NoBuild, NotFound
from kgapp.site import crawling
from kgapp.site.browse import BrowsePage, browse_page
from kgapp.site.cite import CitePage, cite_page
from kgapp.site.conflicts import ConflictsPage, conflicts_page
from kgapp.site.crawling import NOT_CRAWLED
from kgapp.site.health import health_report, writes_state
from kgapp.site.home import HomePage, home_page, starting_points
from kgapp.site.links import Link
from kgapp.site.responses import ResponsesPage, responses_page
from kgapp.site.sources import SourcesPage, sources_page
from kgapp.site.timeline import TimelinePage, timeline_page
from kgapp.web.jsonview import to_json
from kgapp.web.pages import page_route, urls
from kgapp.web.state import state

blueprint = Blueprint("site", __name__)


@page_route(blueprint, "/", twin="/index.json")
def home() -> HomePage:
    return home_page(state().store, urls(), state().settings.site_title)


@page_route(blueprint, "/browse", csv_twin=True)
def browse() -> BrowsePage:
    return browse_page(state().store, urls(), request.args.get("class", ""))


@page_route(blueprint, "/timeline", csv_twin=True)
def timeline() -> TimelinePage:
    args = request.args
    return timeline_page(
        state().store, args.get("actor", ""), args.get("type", ""), args.get("from", ""), args.get("to", "")
    )


@page_route(blueprint, "/responses", csv_twin=True)
def responses() -> ResponsesPage:
    store, builder = state().store, urls()
    most = [Link(s.iri, s.href, s.label) for s in starting_points(store, builder)]
    return responses_page(store, builder, request.args.get("to", ""), most)


@page_route(blueprint, "/conflicts")
def conflicts() -> ConflictsPage:
    return conflicts_page(state().store, urls())


@page_route(blueprint, "/sources")
def sources() -> SourcesPage:
    return sources_page(state().store, urls())


@page_route(blueprint, "/cite")
def cite() -> CitePage:
    return cite_page(state().store, state().settings, urls())


@blueprint.get("/favicon.ico")
def favicon() -> Response:
    """The icon browsers and feed readers ask for at the root; pages name favicon.svg."""
    response = current_app.send_static_file("favicon.ico")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@blueprint.get("/health")
def health() -> Response:
    """Liveness plus data state; 503 while there is no build to serve or the store is down."""
    where = backend_state(state().settings, state().current)
    try:
        if not where.answers:
            response = jsonify(
                {"status": "store-unavailable", "message": where.problem, "backend": to_json(where)}
            )
            response.status_code = 503
        else:
            writes = writes_state(state().settings, state().forwarder)
            report = health_report(state().store, state().engine.state(), where, writes)
            response = jsonify(to_json(report))
    except NoBuild as exc:
        response = jsonify({"status": "no-data", "message": exc.message, "backend": to_json(where)})
        response.status_code = 503
    response.cache_control.no_store = True  # live state: never kept by a cache
    return response


@blueprint.get("/robots.txt")
def robots() -> Response:
    text = render_template(
        "site/robots.txt", not_crawled=NOT_CRAWLED, sitemap=urls().absolute("site.sitemap")
    )
    return Response(text, mimetype="text/plain")


@blueprint.get("/sitemap.xml")
def sitemap() -> Response:
    return _sitemap_response(None)


@blueprint.get("/sitemap-<int:number>.xml")
def sitemap_part(number: int) -> Response:
    return _sitemap_response(number)


def _sitemap_response(part: int | None) -> Response:
    found = crawling.sitemap(state().store, urls(), part)
    if found is None:
        raise NotFound(f"the sitemap has no part {part}")
    return Response(render_template("site/sitemap.xml", map=found), mimetype="application/xml")
