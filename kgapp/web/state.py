"""The state of the running app, reachable from any view without importing the factory."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from kgapp.config import Settings
from kgapp.current import CurrentBuild
from kgapp.engine.interface import QueryEngine
from kgapp.namespaces import Namespaces
from kgapp.store import KnowledgeStore

EXTENSION_KEY = "kgapp"


@dataclass
class AppState:
    """Everything a view needs besides the request: settings, IRIs, the store, the query engine."""

    settings: Settings
    current: CurrentBuild
    engine: QueryEngine

    @property
    def namespaces(self) -> Namespaces:
        return self.current.namespaces

    @property
    def store(self) -> KnowledgeStore:
        """The build being served now; raises NoBuild (503) when there is none."""
        return self.current.get()


def install(app: Flask, app_state: AppState) -> None:
    app.extensions[EXTENSION_KEY] = app_state


def state() -> AppState:
    """The state of the running app (inside a request or app context)."""
    found: AppState = current_app.extensions[EXTENSION_KEY]
    return found
