"""The remote store's settings, read once from :class:`kgapp.config.Settings`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kgapp.config import Settings
from kgapp.remote.auth import Credentials


@dataclass(frozen=True)
class RemoteSettings:
    query_url: str
    update_url: str
    store_url: str  # Graph Store Protocol; "" when the store has none
    credentials: Credentials  # for reading: an account that can only read
    write_credentials: Credentials  # for builds and commits; the reading ones when none are set
    timeout_s: float  # a page's query
    write_timeout_s: float  # each request of a build's write
    poll_s: float  # how often the served build is read again
    data_dir: Path  # where dumps of builds made elsewhere are written

    @classmethod
    def of(cls, settings: Settings) -> RemoteSettings:
        return cls(
            query_url=settings.remote_query_url,
            update_url=settings.remote_update_url,
            store_url=settings.remote_store_url,
            credentials=Credentials(settings.remote_user, settings.remote_password, settings.remote_token),
            write_credentials=_write_credentials(settings),
            timeout_s=settings.remote_timeout_s,
            write_timeout_s=settings.remote_write_timeout_s,
            poll_s=settings.remote_poll_s,
            data_dir=settings.data_path,
        )


def _write_credentials(settings: Settings) -> Credentials:
    if settings.remote_write_user or settings.remote_write_token:
        return Credentials(
            settings.remote_write_user, settings.remote_write_password, settings.remote_write_token
        )
    return Credentials(settings.remote_user, settings.remote_password, settings.remote_token)
