"""Where builds are held — the embedded store (the default) or a remote SPARQL store — decided
here once: everything else asks this module for the current build and the query engine."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kgapp.config import Settings
from kgapp.errors import ConfigError, KGError, NoBuild
from kgapp.layout import current_build_dir

if TYPE_CHECKING:  # each holder is imported when chosen: `kgapp build` loads neither
    from kgapp.current import CurrentBuild
    from kgapp.engine.interface import QueryEngine

EMBEDDED, REMOTE = "embedded", "remote"


def is_remote(settings: Settings) -> bool:
    return settings.store_backend == REMOTE


def open_current(settings: Settings) -> CurrentBuild:
    """Which build the app serves, kept up to date as builds are made."""
    if is_remote(settings):
        from kgapp.remote.settings import RemoteSettings
        from kgapp.remote.view import RemoteCurrent

        return RemoteCurrent(RemoteSettings.of(settings), settings.namespaces)
    from kgapp.current import CurrentStore

    return CurrentStore(settings.data_path, settings.namespaces)


def engine_for(settings: Settings, current: CurrentBuild) -> QueryEngine:
    """What runs the endpoint's queries: killable local processes, or the remote store."""
    if is_remote(settings):
        from kgapp.remote.engine import RemoteEngine
        from kgapp.remote.view import RemoteCurrent

        assert isinstance(current, RemoteCurrent)
        return RemoteEngine(settings, current)
    from kgapp.engine.interface import create_engine

    return create_engine(settings)


def check_publishable(settings: Settings) -> None:
    """Refuse, before any work, a build that could not be written where it is to be served."""
    if is_remote(settings) and not settings.remote_update_url:
        raise ConfigError(
            "store_backend = 'remote': kgapp build writes into the store through remote_update_url "
            "(its SPARQL Update URL), which is not set"
        )


def publish(settings: Settings, build_dir: Path, say: Callable[[str], None]) -> bool:
    """Make a finished build the one served: already done for the embedded store (the build
    switched ``current``); written into the store for a remote one. False when nothing changed."""
    if not is_remote(settings):
        return False
    from kgapp.remote.publish import publish as write_into_store

    return write_into_store(settings, build_dir, say)


def has_build(settings: Settings) -> bool:
    """Whether there is a build to serve, asked of the store itself when it is remote. A store
    that does not answer now may hold one: the app serves 503 until it answers."""
    if not is_remote(settings):
        return current_build_dir(settings.data_path) is not None
    try:
        open_current(settings).get()
    except NoBuild:
        return False
    except KGError as exc:
        logging.getLogger("kgapp").warning("the store does not answer now: %s", exc.message)
    return True


@dataclass(frozen=True)
class BackendState:
    """What /health says about where the data is held: the kind of store and whether it answers,
    never where it is (its URL is the operator's, in the log)."""

    kind: str  # "embedded" or "remote"
    answers: bool  # the store answered just now (always true for the embedded store)
    problem: str = ""


def backend_state(settings: Settings, current: CurrentBuild) -> BackendState:
    if not is_remote(settings):
        return BackendState(EMBEDDED, True)
    try:
        current.get(fresh=True)
    except NoBuild:
        return BackendState(REMOTE, True)  # it answers, and holds no build
    except KGError as exc:
        return BackendState(REMOTE, False, exc.message)
    return BackendState(REMOTE, True)
