"""What a request to a remote store is held to and can end in: its target, its deadline, and
the errors a client of the store tells apart."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from kgapp.errors import KGError, QueryTimeout, Unavailable


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


# Virtuoso refuses a query it estimates to run past MaxQueryCostEstimationTime, as a 500.
ESTIMATE_REFUSED = re.compile(r"estimated execution time (\d+) \(sec\) exceeds the limit of (\d+)", re.I)


def failure(status: int, text: str, url: str, what: str) -> Exception:
    """What a store's answer with an error status means, in our words; the store's own text and
    URL only for the operator's log."""
    said = f"{url} answered {status}: {text}"
    if status == 400:
        return StoreRejected(text or "the store rejected the request")
    if status in {401, 403}:
        return Unavailable(
            "the store refused our credentials (check remote_user, remote_password or remote_token)",
            private=said,
        )
    if status == 404:
        return Unavailable("the store has no such service (check the remote_* URLs)", private=said)
    if status in {502, 503}:
        return Unavailable("the store is unavailable now", retry_after=1, private=said)
    if status == 504:
        return StoreTimeout("the store timed out", private=said)
    estimate = ESTIMATE_REFUSED.search(text)
    if estimate:
        return QueryTimeout(
            f"the store estimates this query would run {estimate.group(1)} s, past its limit of "
            f"{estimate.group(2)} s; narrow it down or add a LIMIT",
            private=said,
        )
    return StoreFailed(f"the store failed to answer {what}", private=said)
