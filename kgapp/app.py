"""The Flask application factory: settings resolved by the caller, the store opened once and kept
on the app, every blueprint registered, the HTTP layer around them all."""

from __future__ import annotations

import logging

from flask import Flask

from kgapp.backend import engine_for, is_remote, open_current
from kgapp.config import Settings
from kgapp.curate.views import blueprint as curate
from kgapp.history import views as history_hooks
from kgapp.history.views import blueprint as history
from kgapp.ld.views import blueprint as linked_data
from kgapp.search.views import blueprint as search
from kgapp.site.views import blueprint as site
from kgapp.sparql.dataset_documents import blueprint as dataset_documents
from kgapp.sparql.endpoint import blueprint as sparql
from kgapp.versions import VersionIndex
from kgapp.web import http, pages
from kgapp.web.state import AppState, install
from kgapp.web.versioned import VersionedPaths
from kgapp.writes.forward import WriteForwarder

BLUEPRINTS = (site, search, sparql, dataset_documents, linked_data, history, curate)


def create_app(settings: Settings) -> Flask:
    """The app serving the build ``settings`` point to."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = max(settings.max_request_bytes, settings.max_write_bytes)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    current = open_current(settings)
    versions = None if is_remote(settings) else VersionIndex(settings.data_path, settings.namespaces)
    forwarder = WriteForwarder.from_environment()  # kgapp serve's writer service, if any
    install(app, AppState(settings, current, engine_for(settings, current), versions, forwarder=forwarder))
    logging.getLogger("kgapp").setLevel(settings.log_level)
    http.install(app)
    pages.install(app)
    history_hooks.install(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.wsgi_app = VersionedPaths(app.wsgi_app)  # type: ignore[method-assign]
    return app
