"""One error type for everything a user can get wrong; the web layer maps ``status`` to HTTP."""

from __future__ import annotations

from typing import Any


class KGError(Exception):
    """An error whose message is meant for the user: it says what went wrong and where.

    ``private`` is for the operator's log only: what a reader must not see (a store's URL, its
    own error text, the query it compiled). The web layer logs it; the command line prints it.
    """

    status: int = 400
    title: str = "Bad request"

    def __init__(self, message: str, status: int | None = None, *, private: str = "", **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.private = private
        self.details = details


class ConfigError(KGError):
    title = "Configuration error"


class InputError(KGError):
    """An input file cannot be read or parsed; names the file and, where known, the line."""

    title = "Input error"

    def __init__(self, message: str, *, file: str, line: int | None = None) -> None:
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}", file=file, line=line)
        self.file = file
        self.line = line


class ValidationFailed(KGError):
    """The data does not conform to the shapes; carries the formatted report."""

    title = "Validation failed"

    status = 422

    def __init__(
        self,
        report_text: str,
        violations: int,
        *,
        report: Any = None,
        change: Any = None,
        entailed: Any = None,
    ) -> None:
        super().__init__(f"{violations} SHACL violation(s)\n{report_text}", violations=violations)
        self.report_text = report_text
        self.report = report  # the ValidationReport, where a commit refused a change
        self.change = change  # and the change it refused
        self.entailed = entailed or {}  # (node, shape) → the inferred memberships behind a violation


class NoBuild(KGError):
    title = "No build"
    status = 503


class NotFound(KGError):
    title = "Not found"
    status = 404


class NotAcceptable(KGError):
    title = "Not acceptable"
    status = 406


class QuerySyntaxError(KGError):
    title = "Malformed query"
    status = 400


class QueryRefused(KGError):
    """A query this endpoint will not run (SERVICE, updates…)."""

    title = "Query refused"
    status = 400


class QueryTimeout(KGError):
    title = "Query timeout"
    status = 503


class Unavailable(KGError):
    """Not now: no capacity left, or a store or service that does not answer; the client may try
    again (``retry_after``)."""

    title = "Service unavailable"
    status = 503


class QueryFailed(KGError):
    """The engine failed on a query (not the user's fault); logged where it happens."""

    title = "Internal server error"
    status = 500
