"""The writer service: one process that takes every write of a server.

``kgapp serve`` starts it (where write tokens are configured) beside the web processes and starts
it again if it dies. It runs the same app as they do, so a write passes the same gate and gets
the same answer, but with the data directory's writer kept open between writes
(:class:`~kgapp.writes.keeper.WriterKeeper`): a write does not pay for opening the live store,
the shapes stay compiled in one process rather than in each, and the write's work runs beside
the web processes' reads instead of taking their interpreter. Web processes send it the write
requests (:mod:`kgapp.writes.forward`) over a local socket that only holders of the key may use.

Run as ``python -m kgapp.writerservice`` with the settings in the environment, as web
processes get them, and the socket and key in ``KGAPP_WRITER_SERVICE_SOCKET`` and
``KGAPP_WRITER_SERVICE_KEY``.
"""

from __future__ import annotations

import atexit
import io
import logging
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection, Listener
from typing import Any

from flask import Flask
from werkzeug.test import run_wsgi_app

from kgapp.config import load_settings
from kgapp.processes import die_with_parent
from kgapp.writes.forward import KEY_ENV, SOCKET_ENV, ForwardedAnswer, ForwardedRequest

log = logging.getLogger("kgapp.writes.service")
SUPERVISE = "--supervise"


class WriterService:
    """Answers forwarded write requests with the app, one at a time, keeping the writer open."""

    def __init__(self, app: Flask) -> None:
        from kgapp.web.state import EXTENSION_KEY, AppState
        from kgapp.writes.keeper import WriterKeeper

        self.app = app
        self.state: AppState = app.extensions[EXTENSION_KEY]
        self.state.forwarder = None  # this process takes the writes itself
        self.state.writers = WriterKeeper(self.state.settings, keep=True)
        self.started = time.time()
        self.answered = 0
        self._one_at_a_time = threading.Lock()

    def answer(self, request: ForwardedRequest) -> ForwardedAnswer:
        environ: dict[str, Any] = dict(request.environ)
        environ |= {
            "wsgi.input": io.BytesIO(request.body),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(request.body)),
        }
        with self._one_at_a_time:
            body, status, headers = run_wsgi_app(self.app, environ, buffered=True)
            try:
                content = b"".join(body)
            finally:
                getattr(body, "close", lambda: None)()
            self.answered += 1
        return ForwardedAnswer(int(status.split(" ", 1)[0]), list(headers.items()), content)

    def status(self) -> dict[str, Any]:
        keeper = self.state.writers
        return {
            "pid": os.getpid(),
            "since": self.started,
            "writesAnswered": self.answered,
            "writerHeld": bool(keeper and keeper.held),
        }

    def serve_connection(self, connection: Connection) -> None:
        with connection:
            while True:
                try:
                    message = connection.recv()
                except (EOFError, OSError):
                    return
                reply = self.status() if message == "status" else self._answered(message)
                try:
                    connection.send(reply)
                except OSError:  # the web process gave up waiting
                    return

    def _answered(self, message: object) -> object:
        if not isinstance(message, ForwardedRequest):
            return None
        try:
            return self.answer(message)
        except Exception:  # the app answers every error itself; this is a failure of our own
            log.exception("the writer service failed to answer a write")
            return ForwardedAnswer(500, [("Content-Type", "text/plain; charset=utf-8")], b"the writer failed")


class Supervisor:
    """Starts the writer service for a server, and again whenever it ends."""

    def __init__(self) -> None:
        self.directory = tempfile.mkdtemp(prefix="kgapp-writer-")  # short: a socket path is
        self.address = os.path.join(self.directory, "socket")
        self.key = secrets.token_bytes(32)

    def environment(self) -> dict[str, str]:
        """What the web processes (and the service) need to find each other."""
        return {SOCKET_ENV: self.address, KEY_ENV: self.key.hex()}

    def start(self) -> None:
        """Start the process that keeps the service running. Not a thread: the server's main
        process runs the HTTP server's own loop, in which Python threads do not get to run."""
        os.environ.update(self.environment())
        atexit.register(shutil.rmtree, self.directory, ignore_errors=True)
        subprocess.Popen([sys.executable, "-m", "kgapp.writerservice", SUPERVISE])


def keep_running() -> None:
    """The supervisor's loop: the service, started again whenever it ends."""
    die_with_parent()
    address = os.environ[SOCKET_ENV]
    while True:
        started = time.monotonic()
        if os.path.exists(address):
            os.unlink(address)
        code = subprocess.Popen([sys.executable, "-m", "kgapp.writerservice"]).wait()
        log.warning("the writer service ended (exit %s); starting it again", code)
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))  # not more than once a second


def main() -> None:
    die_with_parent()
    from kgapp.app import create_app

    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    address, key = os.environ[SOCKET_ENV], bytes.fromhex(os.environ[KEY_ENV])
    service = WriterService(create_app(settings))
    with Listener(address, family="AF_UNIX", authkey=key) as listener:
        while True:
            try:
                connection = listener.accept()
            except (OSError, EOFError):  # a client that could not prove the key
                continue
            threading.Thread(target=service.serve_connection, args=(connection,), daemon=True).start()


if __name__ == "__main__":
    keep_running() if sys.argv[1:] == [SUPERVISE] else main()
