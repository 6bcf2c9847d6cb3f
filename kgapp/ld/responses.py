"""Responses shared by the linked-data views: format twins, Link headers, 303s."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, render_template, request

from kgapp.app import state
from kgapp.conneg import negotiate_or_406
from kgapp.ld.formats import BY_MEDIA_TYPE, HTML, JSON, Format, media_type_header


def link_header(alternates: list[tuple[Format, str]], license_iri: str) -> str:
    links = [f'<{url}>; rel="alternate"; type="{fmt.media_type}"' for fmt, url in alternates]
    links.append(f'<{license_iri}>; rel="license"')
    return ", ".join(links)


def with_links(response: Response, alternates: list[tuple[Format, str]]) -> Response:
    response.headers["Link"] = link_header(alternates, state().settings.license_iri)
    response.vary.add("Accept")
    return response


def see_other(location: str, alternates: list[tuple[Format, str]]) -> Response:
    """303 See Other: the IRI names a thing; the document about it lives at ``location``."""
    response = Response(f"See {location}\n", status=303, mimetype="text/plain")
    response.headers["Location"] = location
    return with_links(response, alternates)


def rdf_response(body: bytes, fmt: Format, alternates: list[tuple[Format, str]]) -> Response:
    response = Response(body, status=200)
    response.headers["Content-Type"] = media_type_header(fmt)
    return with_links(response, alternates)


def page_twins(path: str) -> list[tuple[Format, str]]:
    """A site page and its JSON twin: ``/timeline`` and ``/timeline.json``."""
    return [(HTML, path), (JSON, f"{path}.json")]


def html_or_json(
    template: str,
    data: dict[str, Any],
    json_body: Any,
    path: str,
    as_json: bool = False,
) -> Response:
    """A site page as HTML, or as its JSON twin when the URL or Accept asks for JSON."""
    twins = page_twins(path)
    wanted = JSON if as_json else _negotiated_page_format()
    if wanted is JSON:
        response = jsonify(json_body)
    else:
        query = request.query_string.decode("utf-8", "replace")
        json_url = f"{path}.json" + (f"?{query}" if query else "")
        html = render_template(template, alternates=[(JSON, json_url)], **data)
        response = Response(html, mimetype="text/html")
    return with_links(response, twins)


def _negotiated_page_format() -> Format:
    chosen = negotiate_or_406(request.headers.get("Accept"), [HTML.media_type, JSON.media_type])
    return BY_MEDIA_TYPE[chosen]
