"""Handing a write to the writer service, and the two messages that pass between them.

A web process that knows a writer service (``kgapp serve`` starts one where writes are
configured, :mod:`kgapp.writes.service`) sends it each write request whole: the request's
CGI variables and its body. The service answers with the status, headers and body the app gave
it, which the web process sends on unchanged. The connection is a local socket, authenticated by
a key the server gives both (``multiprocessing.connection``); each web thread keeps its own.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Client, Connection
from typing import Any

from kgapp.errors import Unavailable

SOCKET_ENV = "KGAPP_WRITER_SERVICE_SOCKET"  # where the service listens (set by kgapp serve)
KEY_ENV = "KGAPP_WRITER_SERVICE_KEY"  # the key both ends prove they hold
CONNECT_WAIT_S = 10.0  # a service (re)starting answers within this
ANSWER_WAIT_S = 600.0  # the longest write, waiting for the writer before it included
NOT_FORWARDED = ("wsgi.input", "wsgi.errors", "wsgi.file_wrapper", "werkzeug.request")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


@dataclass(frozen=True)
class ForwardedRequest:
    environ: dict[str, str]  # the request's CGI and HTTP variables
    body: bytes


@dataclass(frozen=True)
class ForwardedAnswer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def forwardable(environ: dict[str, Any]) -> dict[str, str]:
    """The variables of a WSGI environ that describe the request (the rest are the server's)."""
    return {k: v for k, v in environ.items() if isinstance(v, str) and k not in NOT_FORWARDED}


class WriteForwarder:
    """The web process's side: one connection per thread to the writer service."""

    def __init__(self, address: str, key: bytes) -> None:
        self.address = address
        self.key = key
        self._local = threading.local()

    @classmethod
    def from_environment(cls) -> WriteForwarder | None:
        address, key = os.environ.get(SOCKET_ENV), os.environ.get(KEY_ENV)
        return cls(address, bytes.fromhex(key)) if address and key else None

    def forward(self, environ: dict[str, Any], body: bytes) -> ForwardedAnswer:
        """The service's answer to the request; Unavailable (503) when it cannot be reached or
        does not answer (the write may then have been committed: /changes says)."""
        request = ForwardedRequest(forwardable(environ), body)
        connection = self._sent(request)
        try:
            if not connection.poll(ANSWER_WAIT_S):
                raise TimeoutError
            answer = connection.recv()
        except (OSError, EOFError, TimeoutError):
            self._drop()  # a late answer must not reach the next request
            raise Unavailable(
                "the writer did not answer; if the write was sent, /changes says whether it was "
                "committed. Try again in a moment",
                retry_after=1,
            ) from None
        if not isinstance(answer, ForwardedAnswer):
            self._drop()
            raise Unavailable("the writer answered something else than a write's answer", retry_after=1)
        return answer

    def _sent(self, message: object) -> Connection:
        """The connection ``message`` went out on. A connection the service closed (it started
        again) is opened again once: nothing reached the service on it."""
        try:
            connection = self._connection()
            connection.send(message)
            return connection
        except OSError:
            self._drop()
        connection = self._connection()
        try:
            connection.send(message)
        except OSError:
            self._drop()
            raise _not_running() from None
        return connection

    def status(self) -> dict[str, Any]:
        """The service's own account of itself (for /health)."""
        connection = self._sent("status")
        try:
            found = connection.recv() if connection.poll(5.0) else None
        except (OSError, EOFError):
            found = None
        if not isinstance(found, dict):
            self._drop()
            raise Unavailable("the writer service does not answer", retry_after=1)
        return found

    def _connection(self) -> Connection:
        connection: Connection | None = getattr(self._local, "connection", None)
        if connection is not None and not connection.closed:
            return connection
        deadline = time.monotonic() + CONNECT_WAIT_S
        while True:
            try:
                connection = Client(self.address, family="AF_UNIX", authkey=self.key)
                break
            except (OSError, EOFError):  # the service is starting, or starting again
                if time.monotonic() >= deadline:
                    raise _not_running() from None
                time.sleep(0.05)
        self._local.connection = connection
        return connection

    def _drop(self) -> None:
        connection: Connection | None = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            connection.close()


def _not_running() -> Unavailable:
    return Unavailable("the writer service is not running; try again in a moment", retry_after=2)


def answer_headers(answer: ForwardedAnswer) -> list[tuple[str, str]]:
    """The service's headers, but those that belong to its hop (the web process sets its own)."""
    return [(k, v) for k, v in answer.headers if k.lower() not in HOP_BY_HOP]
