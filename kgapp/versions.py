"""Past versions as readers address them: which versions there are (the history keeps every one
ever made), which are still retained, which was in force at a time, and each retained one opened
as a store of its own whose links stay inside it (``/v/<n>/…``)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kgapp.commits.history import HISTORY_FILE, VersionRecord, versions
from kgapp.errors import KGError, NotFound
from kgapp.layout import BUILD_INFO_FILE, STORE_DIR, version_dir, versions_root
from kgapp.namespaces import Namespaces
from kgapp.store import EmbeddedStore

OPEN_VERSIONS = 4  # past versions kept open at once (each holds a read-only RocksDB)


class VersionGone(KGError):
    """A version that existed and was pruned: its record stays, its data does not."""

    title = "Gone"
    status = 410


def version_path(number: int) -> str:
    """The address prefix under which every route answers as of version ``number``."""
    return f"/v/{number}"


@dataclass(frozen=True)
class Version:
    number: int
    id: str
    committed_at: datetime
    kind: str
    agent: str
    message: str
    added: int
    removed: int
    retained: bool

    @classmethod
    def of(cls, record: VersionRecord, retained: bool) -> Version:
        return cls(
            record.number,
            record.id,
            parse_time(record.committed_at),
            record.kind,
            record.agent,
            record.message,
            record.added,
            record.removed,
            retained,
        )


def parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class VersionIndex:
    """The versions of one data directory, read again when the history changes."""

    def __init__(self, data_dir: Path, namespaces: Namespaces) -> None:
        self.data_dir = data_dir
        self.namespaces = namespaces
        self._lock = threading.Lock()
        self._seen: tuple[int, int, int] | None = None
        self._all: list[Version] = []
        self._open: OrderedDict[int, EmbeddedStore] = OrderedDict()

    def all(self) -> list[Version]:
        """Every version ever made, oldest first."""
        try:
            status = (self.data_dir / HISTORY_FILE).stat()
            kept = versions_root(self.data_dir).stat()  # a version pruned changes its directory
            seen = (status.st_mtime_ns, status.st_size, kept.st_mtime_ns)
        except OSError:
            return []
        with self._lock:
            if seen != self._seen:
                self._all = [Version.of(r, self._retained(r.number)) for r in versions(self.data_dir)]
                self._seen = seen
            return self._all

    def _retained(self, number: int) -> bool:
        directory = version_dir(self.data_dir, number)
        return (directory / BUILD_INFO_FILE).exists() and (directory / STORE_DIR).is_dir()

    def get(self, number: int) -> Version:
        """Version ``number``, retained or not; NotFound when there never was one."""
        for version in self.all():
            if version.number == number:
                return version
        raise NotFound(f"there is no version {number}: versions are numbered 1 to {self.last_number()}")

    def last_number(self) -> int:
        every = self.all()
        return every[-1].number if every else 0

    def nearest_retained(self, number: int) -> Version | None:
        kept = [v for v in self.all() if v.retained]
        return min(kept, key=lambda v: (abs(v.number - number), -v.number), default=None)

    def in_force_at(self, moment: datetime) -> Version | None:
        """The version readers were served at ``moment``: the last one committed by then, or the
        first one for a moment before it (RFC 7089 §4.1: the nearest memento)."""
        every = self.all()
        if not every:
            return None
        earlier = [v for v in every if v.committed_at <= moment]
        return earlier[-1] if earlier else every[0]

    def store(self, number: int) -> EmbeddedStore:
        """Version ``number`` opened read-only; 410 when it was pruned, 404 when it never was."""
        version = self.get(number)
        if not self._retained(number):
            raise self.gone(version)
        with self._lock:
            opened = self._open.get(number)
            if opened is None:
                opened = EmbeddedStore(version_dir(self.data_dir, number), self.namespaces)
                opened.path_prefix = version_path(number)
                self._open[number] = opened
                while len(self._open) > OPEN_VERSIONS:
                    self._open.popitem(last=False)
            self._open.move_to_end(number)
            return opened

    def gone(self, version: Version) -> VersionGone:
        nearest = self.nearest_retained(version.number)
        where = f"; the nearest retained version is {nearest.number}" if nearest else ""
        return VersionGone(
            f"version {version.number} was pruned (only the last versions are kept){where}",
            nearest=nearest.number if nearest else None,
            location=version_path(nearest.number) if nearest else None,
        )


# Entity tags ---------------------------------------------------------------------------------------
def entity_tag(version: int, body: bytes) -> str:
    """A strong entity tag (unquoted) that starts with the version an answer was read from:
    ``<version>-<digest>``. A write's ``If-Match`` with it holds while that version is current."""
    return f"{version}-{hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20]}"


def request_tag(version: int, request_parts: Iterable[str]) -> str:
    """A strong entity tag for an answer that is a function of the version and of the request
    (``request_parts``: what of the request decides the answer): known before the answer is
    made, so that a revalidation can be answered 304 without making it, and no answer is hashed."""
    text = "\x00".join(request_parts).encode("utf-8", "surrogatepass")
    return f"{version}-{hashlib.sha1(text, usedforsecurity=False).hexdigest()[:20]}"


def version_of_tag(tag: str) -> int | None:
    """The version an entity tag of ours names: ``"<version>-<digest>"``; None for any other."""
    tag = tag.strip()
    if not (tag.startswith('"') and tag.endswith('"')):
        return None  # weak tags never match If-Match (strong comparison)
    number, _, _ = tag.strip('"').partition("-")
    return int(number) if number.isdigit() else None
