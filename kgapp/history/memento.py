"""Memento (RFC 7089): entity IRIs and the endpoint are TimeGates, ``/v/<n>/…`` answers are
mementos, and each entity has a TimeMap.

- A request with ``Accept-Datetime`` to an original resource is redirected (302) to the memento
  in force at that time, with ``Vary: accept-datetime`` and links to the original and the
  TimeMap. A time before the first version gets the first one, after the last the last one
  (§4.1); a header that is not an HTTP date is a 400.
- A memento carries ``Memento-Datetime`` (when its version was committed) and ``Link`` to its
  original, TimeGate and TimeMap; it never changes, so it may be cached for good
  (``Cache-Control: immutable``, strong ``ETag``).
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from flask import Response, request

from kgapp.errors import KGError, NotFound
from kgapp.versions import Version, VersionIndex, version_path
from kgapp.web.pages import urls
from kgapp.web.versioned import requested_version

# The routes whose resources are originals with a TimeGate of their own.
TIMEGATES = {"ld.resource", "ld.document", "ld.document_format", "sparql.endpoint"}
IMMUTABLE = "public, max-age=31536000, immutable"


class BadDatetime(KGError):
    title = "Malformed Accept-Datetime"


def parse_accept_datetime(value: str) -> datetime:
    """An ``Accept-Datetime`` value: an HTTP date in GMT (RFC 7089 §2.1.1)."""
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        moment = None
    if moment is None or moment.tzinfo is None or not value.rstrip().endswith("GMT"):
        raise BadDatetime(
            "Accept-Datetime must be an HTTP date in GMT, such as "
            f"'Tue, 30 Jun 2020 12:00:00 GMT'; got {value!r}"
        )
    return moment


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def original_path() -> str:
    """The request's path and query as the original resource (outside any version)."""
    query = request.query_string.decode("utf-8", "replace")
    return request.path + (f"?{query}" if query else "")


def timemap_path(path: str) -> str | None:
    """The TimeMap of a local resource path (``/id/x`` → ``/timemap/link/id/x``); the endpoint's
    is the list of every version."""
    stripped = path.split("?", 1)[0].lstrip("/")
    return f"/timemap/link/{stripped}" if stripped else None


def _links(original: str, *, memento: Version | None = None) -> list[str]:
    """Memento's links, absolute (clients resolve them against nothing)."""
    absolute = urls().absolute_path
    links = [f'<{absolute(original)}>; rel="original timegate"']
    timemap = timemap_path(original)
    if timemap:
        links.append(f'<{absolute(timemap)}>; rel="timemap"; type="application/link-format"')
    if memento is not None:
        links.append(
            f'<{absolute(version_path(memento.number) + original)}>; rel="memento"; '
            f'datetime="{http_date(memento.committed_at)}"'
        )
    return links


def _append_link(response: Response, links: list[str]) -> None:
    present = response.headers.get("Link")
    response.headers["Link"] = ", ".join([present, *links] if present else links)


def timegate(index: VersionIndex | None) -> Response | None:
    """The redirect of a TimeGate, when the request asks for a time (before the view runs)."""
    wanted = request.headers.get("Accept-Datetime")
    if wanted is None or requested_version() is not None or request.endpoint not in TIMEGATES:
        return None
    return redirect_to_memento(index, original_path(), parse_accept_datetime(wanted))


def redirect_to_memento(index: VersionIndex | None, original: str, moment: datetime) -> Response:
    """302 to the memento of the local resource ``original`` in force at ``moment``."""
    version = index.in_force_at(moment) if index is not None else None
    if version is None:
        raise NotFound("no version has been recorded yet, so there is nothing to go back to")
    if not version.retained:
        raise index.gone(version) if index is not None else NotFound("no past version is kept")
    location = urls().absolute_path(request.script_root + version_path(version.number) + original)
    response = Response(status=302, headers={"Location": location})
    response.vary.add("Accept-Datetime")
    _append_link(response, _links(original, memento=version))
    return response


def add_memento_headers(response: Response, index: VersionIndex | None) -> Response:
    """What a memento, or an original with a TimeGate, says about time (after the view ran)."""
    number = requested_version()
    if number is None:
        if request.endpoint in TIMEGATES and response.status_code < 400:
            response.vary.add("Accept-Datetime")
            _append_link(response, _links(original_path()))
        return response
    if index is None or response.status_code >= 400:
        return response
    version = index.get(number)
    response.headers["Memento-Datetime"] = http_date(version.committed_at)
    _append_link(response, _links(original_path()))
    if response.status_code in (200, 301, 302, 303, 304):
        response.headers["Cache-Control"] = IMMUTABLE
    return response
