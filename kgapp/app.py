"""The Flask application factory: settings resolved by the caller, the store opened once and kept
on the app, every blueprint registered, the HTTP layer around them all."""

from __future__ import annotations

import logging

from flask import Flask

from kgapp.backend import engine_for, open_current
from kgapp.config import Settings
from kgapp.ld.views import blueprint as linked_data
from kgapp.search.views import blueprint as search
from kgapp.site.views import blueprint as site
from kgapp.sparql.dataset_documents import blueprint as dataset_documents
from kgapp.sparql.endpoint import blueprint as sparql
from kgapp.web import http, pages
from kgapp.web.state import AppState, install

BLUEPRINTS = (site, search, sparql, dataset_documents, linked_data)


def create_app(settings: Settings) -> Flask:
    """The app serving the build ``settings`` point to."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    current = open_current(settings)
    install(app, AppState(settings=settings, current=current, engine=engine_for(settings, current)))
    logging.getLogger("kgapp").setLevel(settings.log_level)
    http.install(app)
    pages.install(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app
