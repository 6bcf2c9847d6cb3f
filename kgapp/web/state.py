"""The state of the running app, reachable from any view without importing the factory."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from kgapp.config import Settings
from kgapp.current import CurrentBuild
from kgapp.engine.interface import QueryEngine
from kgapp.errors import NotFound
from kgapp.namespaces import Namespaces
from kgapp.store import KnowledgeStore
from kgapp.versions import VersionIndex
from kgapp.web.versioned import requested_version
from kgapp.writes.forward import WriteForwarder
from kgapp.writes.keeper import WriterKeeper

EXTENSION_KEY = "kgapp"


@dataclass
class AppState:
    """Everything a view needs besides the request: settings, IRIs, the store, the query engine."""

    settings: Settings
    current: CurrentBuild
    engine: QueryEngine
    versions: VersionIndex | None = None  # past versions, where they are kept (the embedded store)
    writers: WriterKeeper | None = None  # where this process's writes get the writer
    forwarder: WriteForwarder | None = None  # the writer service that takes this process's writes

    def __post_init__(self) -> None:
        if self.writers is None:
            self.writers = WriterKeeper(self.settings)

    @property
    def namespaces(self) -> Namespaces:
        return self.current.namespaces

    @property
    def store(self) -> KnowledgeStore:
        """The version the request reads: the one served now (NoBuild, 503, when there is none),
        or the one its address names (``/v/<n>/…``: 410 when pruned, 404 when unknown)."""
        number = requested_version()
        if number is None:
            return self.current.get()
        if self.versions is None:
            raise NotFound(
                "past versions are served from the embedded store only (store_backend = 'embedded')"
            )
        return self.versions.store(number)


def install(app: Flask, app_state: AppState) -> None:
    app.extensions[EXTENSION_KEY] = app_state


def state() -> AppState:
    """The state of the running app (inside a request or app context)."""
    found: AppState = current_app.extensions[EXTENSION_KEY]
    return found
