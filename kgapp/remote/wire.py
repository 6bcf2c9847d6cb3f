"""What a request to a remote store is held to and can end in: its target, its deadline, and
the errors a client of the store tells apart."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from kgapp.errors import KGError


class StoreTimeout(KGError):
    """The store did not answer within the deadline."""

    title = "Store timeout"
    status = 504


class StoreFailed(KGError):
    """The store answered with an error of its own (HTTP 5xx)."""

    title = "Bad gateway"
    status = 502


class StoreRejected(Exception):
    """The store rejected the request as malformed (HTTP 400): its message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query of the URL, sent as the request target

    @classmethod
    def of(cls, url: str) -> Target:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return cls(parts.scheme, parts.hostname, port, path)

    def with_query(self, parameters: Sequence[tuple[str, str]]) -> str:
        if not parameters:
            return self.path
        joiner = "&" if "?" in self.path else "?"
        return self.path + joiner + urlencode(parameters)


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return self.at - time.monotonic()

    def passed(self) -> bool:
        return self.left() <= 0
