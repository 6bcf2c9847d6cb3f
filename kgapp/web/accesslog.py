"""WSGI middleware writing one access-log line per request: client, method, path and query,
status, bytes, time, and what the request did (cache hit or miss; for a query its form, rows,
whether it was cut and how long it ran).

Everything a client sent is escaped: a control character (a newline above all) is written as
``\\xNN``, so a request can never forge a line of its own; values of parameters that look like
credentials are replaced by ``***``.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

log = logging.getLogger("kgapp.access")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
NOTES_KEY = "kgapp.log"  # views add "name=value" notes to the line here
MAX_QUERY_LOGGED = 200
SECRET_NAMES = re.compile(r"token|password|passwd|secret|key|auth", re.IGNORECASE)
UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f"\\]')


def escape(text: str) -> str:
    """``text`` with control characters, quotes and backslashes written as ``\\xNN``."""
    return UNSAFE.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def redacted(query_string: str) -> str:
    pairs = parse_qsl(query_string, keep_blank_values=True)
    if not any(SECRET_NAMES.search(name) for name, _ in pairs):
        return query_string
    return urlencode([(n, "***" if SECRET_NAMES.search(n) else v) for n, v in pairs])


def note(environ: dict[str, Any], name: str, value: object) -> None:
    """Add ``name=value`` to the request's access-log line."""
    environ.setdefault(NOTES_KEY, []).append(f"{name}={value}")


class AccessLog:
    """Wraps a WSGI app (``app``) and logs each request it answers."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        status_holder: list[str] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status_holder.append(status)
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        # The whole answer is produced before this returns: the server reads the status and
        # headers as soon as the app returns, and every answer of ours is in memory anyway.
        result = self.app(environ, capture)
        chunks: list[bytes] = []
        try:
            chunks = list(result)
        finally:
            close = getattr(result, "close", None)
            if close:
                close()
            size = sum(len(c) for c in chunks)
            self._write(environ, status_holder, size, (time.perf_counter() - started) * 1000)
        return chunks

    @staticmethod
    def _write(environ: dict[str, Any], status: list[str], size: int, elapsed_ms: float) -> None:
        query = redacted(environ.get("QUERY_STRING", ""))[:MAX_QUERY_LOGGED]
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        target = path + (f"?{query}" if query else "")
        notes = list(environ.get(NOTES_KEY, []))
        if "kgapp.cache" in environ:
            notes.append(f"cache={environ['kgapp.cache']}")
        log.info(
            '%s "%s %s" %s %d %.1fms%s',
            escape(environ.get("REMOTE_ADDR", "-")),
            escape(environ.get("REQUEST_METHOD", "-")),
            escape(target),
            status[0].split(" ", 1)[0] if status else "-",
            size,
            elapsed_ms,
            "".join(f" {escape(n)}" for n in notes),
        )
