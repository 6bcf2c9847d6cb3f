"""The page pipeline: a page is one dataclass, computed once per request, rendered as HTML by its
template or as JSON by the one serializer (:mod:`kgapp.web.jsonview`), and — for the pages that
are lists — as CSV from its :meth:`Page.csv_table`; :func:`page_route` registers them all and
advertises each as the others' alternate.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, ClassVar

from flask import Blueprint, Flask, Response, jsonify, render_template, request

from kgapp.conneg import negotiate_or_406
from kgapp.formats import CSV, HTML, JSON, Format
from kgapp.web.jsonview import to_json
from kgapp.web.state import state
from kgapp.web.urls import UrlBuilder
from kgapp.web.versioned import version_prefix

Alternates = Sequence[tuple[Format, str]]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(cell: str) -> str:
    """A cell no spreadsheet reads as a formula (OWASP's CSV injection advice): text starting
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe.
    Numbers (``-3.5``) are left as they are."""
    if cell.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


@dataclass(frozen=True)
class CsvTable:
    """A list page as a table: a header row and rows of text, opened in spreadsheets: so every
    cell is made :func:`spreadsheet_safe` (the SPARQL endpoint's CSV is left as its
    specification says)."""

    header: list[str]
    rows: list[list[str]]

    def text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([spreadsheet_safe(cell) for cell in self.header])
        writer.writerows([spreadsheet_safe(cell) for cell in row] for row in self.rows)
        return buffer.getvalue()


class Page:
    """Base of the page dataclasses; ``template`` names the HTML template that renders it."""

    template: ClassVar[str]

    def csv_table(self) -> CsvTable:
        """The page as a table, for pages registered with a CSV twin."""
        raise NotImplementedError(f"{type(self).__name__} has no CSV form")


def urls() -> UrlBuilder:
    return UrlBuilder(state().namespaces, version_prefix(), public_url=state().settings.public_url)


def link_header(alternates: Alternates, license_iri: str) -> str:
    links = [f'<{url}>; rel="alternate"; type="{fmt.media_type}"' for fmt, url in alternates]
    links.append(f'<{license_iri}>; rel="license"')
    return ", ".join(links)


def with_links(response: Response, alternates: Alternates) -> Response:
    """Advertise a response's other representations and the data's license."""
    response.headers["Link"] = link_header(alternates, state().settings.license_iri)
    return response


def render_page(page: Page, alternates: Alternates, status: int = 200, **context: Any) -> Response:
    """A page as HTML; ``context`` holds what only the template needs besides the page."""
    html = render_template(page.template, page=page, alternates=alternates, **context)
    return with_links(Response(html, status=status, mimetype="text/html"), alternates)


def json_response(data: Any, alternates: Alternates, status: int = 200) -> Response:
    response = jsonify(to_json(data))
    response.status_code = status
    return with_links(response, alternates)


def csv_response(page: Page, alternates: Alternates) -> Response:
    response = Response(page.csv_table().text(), content_type=CSV.content_type)
    return with_links(response, alternates)


def page_route(
    blueprint: Blueprint, rule: str, twin: str | None = None, csv_twin: bool = False
) -> Callable[[Callable[[], Page]], Callable[[], Page]]:
    """Register a page at ``rule`` (HTML, or JSON or CSV when ``Accept`` prefers it), its JSON twin
    at ``twin`` (default ``rule.json``) and, with ``csv_twin``, its CSV twin at ``rule.csv``. The
    view returns the page; this renders it."""
    twin_rule = twin or f"{rule}.json"
    csv_rule = f"{rule}.csv"

    def register(view: Callable[[], Page]) -> Callable[[], Page]:
        name = view.__name__

        def alternates() -> list[tuple[Format, str]]:
            query = request.query_string.decode("utf-8", "replace")
            suffix = f"?{query}" if query else ""
            root = request.script_root
            found = [(HTML, root + rule + suffix), (JSON, root + twin_rule + suffix)]
            return [*found, (CSV, root + csv_rule + suffix)] if csv_twin else found

        @wraps(view)
        def negotiated() -> Response:
            offered = [HTML.media_type, JSON.media_type, *([CSV.media_type] if csv_twin else [])]
            chosen = negotiate_or_406(request.headers.get("Accept"), offered)
            if chosen == JSON.media_type:
                return json_response(view(), alternates())
            if chosen == CSV.media_type:
                return csv_response(view(), alternates())
            return render_page(view(), alternates())

        def as_json() -> Response:
            return json_response(view(), alternates())

        def as_csv() -> Response:
            return csv_response(view(), alternates())

        blueprint.add_url_rule(rule, endpoint=name, view_func=negotiated)
        blueprint.add_url_rule(twin_rule, endpoint=f"{name}_json", view_func=as_json)
        if csv_twin:
            blueprint.add_url_rule(csv_rule, endpoint=f"{name}_csv", view_func=as_csv)
        return view

    return register


def install(app: Flask) -> None:
    """What every template may use: the URL builder, the navigation, the license."""

    @app.context_processor
    def template_globals() -> dict[str, Any]:
        return {
            "urls": urls(),
            "license_iri": state().settings.license_iri,
            "license_name": state().settings.license_name,
            "current_endpoint": request.endpoint,
        }
