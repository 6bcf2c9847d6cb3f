"""The Flask application factory: settings resolved once, the store opened once, kept on the app."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from kgapp.config import Settings, load_settings
from kgapp.namespaces import Namespaces
from kgapp.store import CurrentStore, KnowledgeStore

EXTENSION_KEY = "kgapp"


@dataclass
class AppState:
    """Everything a view needs besides the request: settings, IRIs and the store."""

    settings: Settings
    namespaces: Namespaces
    current: CurrentStore

    @property
    def store(self) -> KnowledgeStore:
        """The build being served now; raises NoBuild (503) when there is none."""
        return self.current.get()


def state() -> AppState:
    """The state of the running app (inside a request or app context)."""
    return current_app.extensions[EXTENSION_KEY]


def create_app(config: dict[str, Any] | None = None, config_file: str | Path | None = None) -> Flask:
    """Build the app. ``config`` overrides settings (tests); the file and environment come first."""
    settings = load_settings(config_file=config_file, overrides=config)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    namespaces = settings.namespaces
    app.extensions[EXTENSION_KEY] = AppState(
        settings=settings,
        namespaces=namespaces,
        current=CurrentStore(settings.data_path, namespaces),
    )
    logging.getLogger("kgapp").setLevel(settings.log_level)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from kgapp import web
    from kgapp.ld import blueprint as linked_data
    from kgapp.site import blueprint as site
    from kgapp.sparql import blueprint as sparql

    web.install(app)
    app.register_blueprint(site)
    app.register_blueprint(sparql)
    app.register_blueprint(linked_data)
