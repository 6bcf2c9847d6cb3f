"""Which build the app serves: the build ``current`` points to in the data directory, reopened
after a rebuild (a remote store's equivalent is :class:`kgapp.remote.view.RemoteCurrent`)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Protocol

from kgapp.errors import NoBuild
from kgapp.layout import current_build_dir, current_link
from kgapp.namespaces import Namespaces
from kgapp.store import EmbeddedStore, KnowledgeStore


class CurrentBuild(Protocol):
    """Which build the app serves now, wherever builds are held."""

    namespaces: Namespaces

    def get(self, fresh: bool = False) -> KnowledgeStore:
        """The build being served (asked of the store again when ``fresh``); NoBuild when none."""
        ...

    def build_key(self) -> str:
        """The served build's key, cheaply; "" when none can be told."""
        ...


class CurrentStore:
    """Keeps the app on the build that ``current`` points to, reopening after a rebuild."""

    def __init__(self, data_dir: Path, namespaces: Namespaces) -> None:
        self.data_dir = data_dir
        self.namespaces = namespaces
        self._lock = threading.Lock()
        self._store: EmbeddedStore | None = None
        self._link_target: str | None = None  # what ``current`` pointed to when _store was opened

    def get(self, fresh: bool = False) -> KnowledgeStore:
        """The build ``current`` points to now: one ``readlink`` when it has not changed."""
        try:
            target: str | None = os.readlink(current_link(self.data_dir))
        except OSError:
            target = None
        store = self._store
        if store is not None and target is not None and target == self._link_target:
            return store
        with self._lock:
            build_dir = current_build_dir(self.data_dir)
            if build_dir is None:
                raise NoBuild(f"no build in {self.data_dir}: run 'kgapp build' first")
            if self._store is None or self._store.build_dir != build_dir:
                self._store = EmbeddedStore(build_dir, self.namespaces)
            self._link_target = target
            return self._store

    def build_key(self) -> str:
        try:
            return os.readlink(current_link(self.data_dir))
        except OSError:
            return ""
