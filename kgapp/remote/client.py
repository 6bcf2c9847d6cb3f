"""The HTTP side of a remote store: SPARQL 1.1 Protocol queries and updates, Graph Store
Protocol graphs, each request held to a deadline.

Built on :mod:`http.client` so that every read waits at most until the deadline: the socket's
timeout is set to the time left before each read, and a store that stops answering, or drips
its answer, is cut off at the deadline (the connection is closed, which is how a client cancels
a query over HTTP). One keep-alive connection per thread and server.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator, Sequence

from kgapp.errors import Unavailable
from kgapp.remote.auth import Challenge, Credentials, parse_challenge
from kgapp.remote.wire import (
    Deadline,
    StoreFailed,
    StoreTimeout,
    Target,
    failure,
)

CHUNK = 1 << 16
MAX_ERROR_BYTES = 4096


class Response:
    """A response being read; every read waits at most until the deadline."""

    def __init__(
        self,
        client: StoreClient,
        connection: http.client.HTTPConnection,
        raw: http.client.HTTPResponse,
        deadline: Deadline,
        what: str,
    ) -> None:
        self._client = client
        self._connection = connection
        self._raw = raw
        self.deadline = deadline
        self.what = what
        self.status = raw.status
        self.content_type = (raw.getheader("Content-Type") or "").split(";")[0].strip().lower()
        self.server = raw.getheader("Server") or ""
        max_rows = raw.getheader("X-SPARQL-MaxRows") or ""
        # Virtuoso's "anytime" answers: what it found before its own time limit, flagged only here.
        self.partial = (raw.getheader("X-SQL-State") or "").strip() == "S1TAT"
        self.store_max_rows = int(max_rows) if max_rows.isdigit() else None
        self._done = False

    def read_chunk(self) -> bytes:
        """The next piece of the body, b"" at its end; StoreTimeout past the deadline."""
        if self._done:
            return b""
        self._client._arm(self._connection, self.deadline, self.what)
        try:
            data = self._raw.read1(CHUNK)
        except TimeoutError:
            self.close()
            raise self._client._timeout(self.deadline, self.what) from None
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise Unavailable(
                f"the store broke off its answer to {self.what}", retry_after=1, private=str(exc)
            ) from None
        if not data:
            self._done = True
            self._client._release(self._connection, self._raw)
        elif self.deadline.passed():
            self.close()
            raise self._client._timeout(self.deadline, self.what)
        return data

    def chunks(self) -> Iterator[bytes]:
        while chunk := self.read_chunk():
            yield chunk

    def read_all(self, limit: int) -> bytes:
        body = bytearray()
        for chunk in self.chunks():
            body += chunk
            if len(body) > limit:
                self.close()
                raise StoreFailed(f"the store's answer to {self.what} is larger than {limit} bytes")
        return bytes(body)

    def close(self) -> None:
        """Stop reading: the connection is closed, which cancels the request at the store."""
        if not self._done:
            self._done = True
            self._client._discard(self._connection)


class StoreClient:
    """Requests to one remote store, by URL, with credentials and a deadline."""

    def __init__(self, credentials: Credentials, connect_timeout_s: float = 5.0) -> None:
        self.credentials = credentials
        self.connect_timeout_s = connect_timeout_s
        self._local = threading.local()
        self._challenges: dict[tuple[str, str, int], Challenge] = {}

    # Requests --------------------------------------------------------------------------------
    def request(
        self,
        method: str,
        url: str,
        *,
        deadline: Deadline,
        what: str,
        parameters: Sequence[tuple[str, str]] = (),
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
    ) -> Response:
        """Send a request and read its status and headers; the body is read from the
        :class:`Response`. A 2xx comes back; anything else is raised as the error it means."""
        target = Target.of(url)
        path = target.with_query(parameters)
        headers = {"User-Agent": "kgapp", "Accept-Encoding": "identity"}
        if accept:
            headers["Accept"] = accept
        if content_type:
            headers["Content-Type"] = content_type
        for attempt in range(2):
            authorization = self._authorization(target, method, path)
            if authorization:
                headers["Authorization"] = authorization
            response = self._send(target, method, path, headers, body, deadline, what)
            if response.status == 401 and attempt == 0 and self._learn(target, response):
                continue
            break
        return self._checked(response, url)

    def _send(
        self,
        target: Target,
        method: str,
        path: str,
        headers: dict[str, str],
        body: bytes | None,
        deadline: Deadline,
        what: str,
    ) -> Response:
        for fresh in (False, True):  # a kept connection the server closed meanwhile: once more, anew
            connection = self._connection(target, deadline, what, fresh)
            try:
                self._arm(connection, deadline, what)
                connection.request(method, path, body=body, headers=headers)
                raw = connection.getresponse()
            except TimeoutError:
                self._discard(connection)
                raise self._timeout(deadline, what) from None
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self._discard(connection)
                if fresh:
                    raise Unavailable(
                        f"the store closed the connection during {what}", retry_after=1
                    ) from None
                continue
            except (OSError, http.client.HTTPException) as exc:
                self._discard(connection)
                raise self._unreachable(target, what, exc) from None
            return Response(self, connection, raw, deadline, what)
        raise AssertionError("unreachable")

    def _checked(self, response: Response, url: str) -> Response:
        if 200 <= response.status < 300 and response.partial:
            response.close()
            raise StoreTimeout(
                f"the store stopped {response.what} at its own time limit and answered only in part"
            )
        if 200 <= response.status < 300:
            return response
        raise failure(response.status, _error_text(response), url, response.what)

    # Connections -----------------------------------------------------------------------------
    def _connections(self) -> dict[Target, http.client.HTTPConnection]:
        kept = getattr(self._local, "connections", None)
        if kept is None:
            kept = self._local.connections = {}
        return kept

    def _connection(
        self, target: Target, deadline: Deadline, what: str, fresh: bool
    ) -> http.client.HTTPConnection:
        key = Target(target.scheme, target.host, target.port, "")
        kept = self._connections()
        if not fresh and key in kept:
            return kept.pop(key)
        timeout = max(min(self.connect_timeout_s, deadline.left()), 0.001)
        kind = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
        connection = kind(target.host, target.port, timeout=timeout)
        try:
            connection.connect()
        except TimeoutError:
            raise Unavailable(
                f"the store did not accept a connection within {timeout:.1f} s",
                retry_after=1,
                private=f"{target.scheme}://{target.host}:{target.port}",
            ) from None
        except OSError as exc:
            raise self._unreachable(target, what, exc) from None
        return connection

    def _arm(self, connection: http.client.HTTPConnection, deadline: Deadline, what: str) -> None:
        left = deadline.left()
        if left <= 0:
            self._discard(connection)
            raise self._timeout(deadline, what)
        if connection.sock is not None:
            connection.sock.settimeout(left)
        else:
            connection.timeout = left

    def _release(self, connection: http.client.HTTPConnection, raw: http.client.HTTPResponse) -> None:
        """A response read to its end: keep the connection for the next request."""
        raw.close()  # marks the response done (a body of length 0 is not, after read1), socket kept
        if raw.will_close:
            connection.close()
            return
        key = Target(*(_key_of(connection)), "")
        old = self._connections().pop(key, None)
        if old is not None:
            old.close()
        self._connections()[key] = connection

    def _discard(self, connection: http.client.HTTPConnection) -> None:
        connection.close()

    # Authentication --------------------------------------------------------------------------
    def _authorization(self, target: Target, method: str, path: str) -> str | None:
        if self.credentials.token:
            return f"Bearer {self.credentials.token}"
        challenge = self._challenges.get((target.scheme, target.host, target.port))
        if challenge is None or not self.credentials.user:
            return None
        return challenge.answer(self.credentials, method, path)

    def _learn(self, target: Target, response: Response) -> bool:
        """Read a 401's challenge; True when we can answer it (and so should try again)."""
        header = response._raw.getheader("WWW-Authenticate") or ""
        _error_text(response)
        challenge = parse_challenge(header)
        if challenge is None or not self.credentials.user:
            return False
        self._challenges[(target.scheme, target.host, target.port)] = challenge
        return True

    # Errors ----------------------------------------------------------------------------------
    def _timeout(self, deadline: Deadline, what: str) -> StoreTimeout:
        return StoreTimeout(
            f"the store did not finish {what} within {deadline.seconds:g} s", timeout_seconds=deadline.seconds
        )

    def _unreachable(self, target: Target, what: str, exc: BaseException) -> Unavailable:
        return Unavailable(
            f"the store cannot be reached for {what}",
            retry_after=1,
            private=f"{target.scheme}://{target.host}:{target.port}: {exc}",
        )


def _key_of(connection: http.client.HTTPConnection) -> tuple[str, str, int]:
    scheme = "https" if isinstance(connection, http.client.HTTPSConnection) else "http"
    return scheme, connection.host, connection.port


def _error_text(response: Response) -> str:
    """The first part of an error body, as text, on one line."""
    try:
        body = response._raw.read(MAX_ERROR_BYTES)
    except (OSError, http.client.HTTPException):
        body = b""
    response.close()
    return " ".join(body.decode("utf-8", errors="replace").split())
