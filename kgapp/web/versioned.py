"""Versioned addresses: ``/v/<n>/<path>`` is ``<path>`` as of version n.

A WSGI layer in front of the routes moves ``/v/<n>`` from the path into the script root, so
every route answers under it unchanged, and every URL the app builds (``url_for``, the links of
a version's store) stays inside the version. The request's version is read with
:func:`requested_version`; the store it reads is chosen by :attr:`kgapp.web.state.AppState.store`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from flask import has_request_context, request

from kgapp.versions import version_path

VERSION_KEY = "kgapp.version"
VERSIONED = re.compile(r"/v/([0-9]{1,9})(?=/|$)")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class VersionedPaths:
    """WSGI middleware: ``/v/<n>/rest`` is served as ``/rest`` with ``/v/<n>`` as script root."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        found = VERSIONED.match(path)
        if found:
            environ[VERSION_KEY] = int(found.group(1))
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + found.group(0)
            environ["PATH_INFO"] = path[found.end() :] or "/"
        return self.app(environ, start_response)


def requested_version() -> int | None:
    """The version the request addresses (``/v/<n>/…``), or None for the version served now."""
    if not has_request_context():
        return None
    number = request.environ.get(VERSION_KEY)
    return number if isinstance(number, int) else None


def version_prefix() -> str:
    """What every local link of this request starts with: ``/v/<n>`` under a version, else ""."""
    number = requested_version()
    return version_path(number) if number is not None else ""


def unversioned(path: str) -> str:
    """``path`` without its ``/v/<n>`` prefix, for rules that do not depend on the version."""
    found = VERSIONED.match(path)
    return path[found.end() :] or "/" if found else path
