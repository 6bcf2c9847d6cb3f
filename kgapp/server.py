"""Serving: the WSGI stack around the app, and the HTTP server that runs it.

The server is granian (a Rust HTTP server for WSGI apps): ``web_workers`` processes, each with
``web_threads`` threads for the app, headers read within ``header_read_timeout_s``. Around the
app, outermost first: the access log (one escaped line per request), the body guard (bodies
read whole by a bounded number of threads), the response cache (answers that depend only on
the build), the bound on pages computed at once. Each web process has its own pool of query
processes. See docs/deploy.md.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile

from flask import Flask

from kgapp.app import create_app
from kgapp.capacity import HOST_SLOTS_ENV
from kgapp.config import ENV_PREFIX, Settings, load_settings
from kgapp.processes import die_with_parent
from kgapp.web.accesslog import AccessLog
from kgapp.web.cache import ResponseCache
from kgapp.web.guard import BodyGuard
from kgapp.web.pagework import PageWork
from kgapp.web.state import EXTENSION_KEY, AppState
from kgapp.writerservice import Supervisor

MEBIBYTE = 1024 * 1024


def application(settings: Settings, flask_app: Flask | None = None) -> AccessLog:
    """The app with everything the server puts around it."""
    flask_app = flask_app or create_app(settings)
    state: AppState = flask_app.extensions[EXTENSION_KEY]
    pages = PageWork(
        flask_app.wsgi_app,
        settings.page_workers,
        settings.page_queue_length,
        settings.page_queue_wait_s,
        settings.page_timeout_s,
    )
    cached = ResponseCache(
        pages,
        state.current.build_key,
        settings.response_cache_mb * MEBIBYTE,
        settings.max_cached_response_bytes,
    )
    flask_app.wsgi_app = BodyGuard(  # type: ignore[method-assign]
        cached,
        settings.max_request_bytes,
        settings.max_body_readers_per_client,
        settings.max_body_readers,
    )
    return AccessLog(flask_app)


def make_application() -> AccessLog:
    """The entry point each web process calls: settings from the file and environment the
    command line passed on (``KGAPP_CONFIG``, ``KGAPP_*``)."""
    die_with_parent()
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    flask_app = create_app(settings)
    state: AppState = flask_app.extensions[EXTENSION_KEY]
    state.engine.start()
    return application(settings, flask_app)


def serve(settings: Settings, config_file: str | None = None) -> None:
    """Run the HTTP server until it is stopped."""
    from granian import Granian
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings

    if config_file:
        os.environ[ENV_PREFIX + "CONFIG"] = config_file
    for name in ("host", "port", "web_workers", "web_threads"):
        os.environ[ENV_PREFIX + name.upper()] = str(getattr(settings, name))
    slots = tempfile.mkdtemp(prefix="kgapp-slots-")  # the host's query capacity, shared
    atexit.register(shutil.rmtree, slots, ignore_errors=True)
    os.environ[HOST_SLOTS_ENV] = slots
    if settings.write_tokens:  # writes are taken: by one process, beside the web processes
        Supervisor().start()
    Granian(
        "kgapp.server:make_application",
        factory=True,
        address=settings.host,
        port=settings.port,
        interface=Interfaces.WSGI,
        workers=settings.web_workers,
        blocking_threads=settings.web_threads,
        backpressure=settings.max_connections,
        backlog=max(settings.max_connections, 128),
        http1_settings=HTTP1Settings(header_read_timeout=int(settings.header_read_timeout_s * 1000)),
        respawn_failed_workers=True,
        respawn_interval=1.0,
        workers_max_rss=settings.web_worker_memory_mb or None,
        log_level=settings.log_level.lower(),  # type: ignore[arg-type]
    ).serve()
