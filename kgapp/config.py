"""Configuration: defaults → TOML file → environment (``KGAPP_*``) → explicit overrides.

Every setting lives in :class:`Settings`; ``docs/configuration.md`` lists them. A file is named by
``KGAPP_CONFIG`` (or passed explicitly) and holds the same keys in a ``[kgapp]`` table.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from kgapp.errors import ConfigError
from kgapp.namespaces import CANONICAL_BASE, Namespaces
from kgapp.tokens import parse_tokens

ENV_PREFIX = "KGAPP_"


def _default_project_root() -> Path:
    """The checkout that holds ontology/, shapes/ and graph/ (the package's parent)."""
    return Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    project_root: Path = field(default_factory=_default_project_root)
    data_dir: Path = Path("var")
    base_iri: str = CANONICAL_BASE
    host: str = "127.0.0.1"
    port: int = 8000
    web_workers: int = 2
    web_threads: int = 48
    web_worker_memory_mb: int = 2048
    header_read_timeout_s: float = 10.0
    max_connections: int = 1024
    max_body_readers: int = 16
    max_body_readers_per_client: int = 2
    response_cache_mb: int = 64
    page_workers: int = 4  # pages computed at once per web process (cached answers never wait)
    page_queue_length: int = 32
    page_queue_wait_s: float = 2.0
    page_timeout_s: float = 5.0  # a page's queries stop here: 503 with Retry-After (0: no deadline)
    max_cached_response_bytes: int = 4_000_000
    query_timeout_s: float = 10.0
    min_query_timeout_s: float = 1.0
    quick_query_limit_s: float = 0.5
    query_workers: int = 2
    query_queue_wait_s: float = 1.0
    query_queue_length: int = 8
    query_memory_mb: int = 1024
    allow_networked_queries: bool = False
    max_result_rows: int = 10_000
    max_answer_bytes: int = 16_000_000
    max_table_rows: int = 1_000
    max_request_bytes: int = 1_000_000
    cors_origins: str = "*"
    include_inferred_by_default: bool = True
    license_iri: str = "https://creativecommons.org/licenses/by/4.0/"
    license_name: str = "CC BY 4.0"
    site_title: str = "Hong Kong–United States relations knowledge graph"
    public_url: str = ""
    log_level: str = "INFO"
    keep_versions: int = 20  # versions kept readable as they were (their records stay in the history)
    store_backend: str = "embedded"  # or "remote": a SPARQL 1.1 store at the remote_* URLs
    remote_query_url: str = ""
    remote_update_url: str = ""
    remote_store_url: str = ""  # Graph Store Protocol; without it a build writes by INSERT DATA
    remote_user: str = ""  # with remote_password: Basic or Digest, as the store asks
    remote_password: str = ""
    remote_token: str = ""  # sent as a bearer token instead
    remote_write_user: str = ""  # builds write with these; the remote_user account then only reads
    remote_write_password: str = ""
    remote_write_token: str = ""
    remote_timeout_s: float = 10.0  # a page's query to the store; the endpoint uses query_timeout_s
    remote_store_limit_s: float = 0.0  # the store's own query time limit (0: query_timeout_s)
    remote_write_timeout_s: float = 600.0  # each request of a build's write
    remote_poll_s: float = 2.0  # how often the build the store serves is read again
    write_tokens: str = ""  # name:scope:credential, comma-separated (kgapp/writes/tokens.py); none: no writes
    require_sources: bool = True  # every written fact in a source's graph, or the registry's
    max_write_bytes: int = 4_000_000  # the largest update or graph a write may send

    @property
    def namespaces(self) -> Namespaces:
        return Namespaces(self.base_iri)

    @property
    def data_path(self) -> Path:
        """The data directory, relative paths taken from the project root."""
        return self.data_dir if self.data_dir.is_absolute() else self.project_root / self.data_dir


def _coerce(name: str, raw: Any, target: Any) -> Any:
    """Turn a file or environment value into the type of the default it replaces."""
    try:
        if isinstance(target, bool):
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(f"expected true or false, got {raw!r}")
        if isinstance(target, Path):
            return Path(raw)
        if isinstance(target, str) and isinstance(raw, list):  # a file's list of entries
            return ",".join(str(item) for item in raw)
        if isinstance(target, int):
            return int(raw)
        if isinstance(target, float):
            number = float(raw)
            if not math.isfinite(number):
                raise ValueError(f"expected a finite number, got {raw!r}")
            return number
        return str(raw)
    except ValueError as exc:
        raise ConfigError(f"setting {name!r}: {exc}") from exc


def _apply(settings: Settings, values: dict[str, Any], origin: str) -> Settings:
    known = {f.name for f in fields(Settings)}
    changes: dict[str, Any] = {}
    for key, raw in values.items():
        if key not in known:
            raise ConfigError(f"{origin}: unknown setting {key!r} (known: {', '.join(sorted(known))})")
        changes[key] = _coerce(key, raw, getattr(settings, key))
    return replace(settings, **changes)


def _from_file(path: Path) -> dict[str, Any]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"configuration file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    table = document.get("kgapp", document)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [kgapp] must be a table")
    return table


def _from_environment(environ: dict[str, str]) -> dict[str, Any]:
    known = {f.name for f in fields(Settings)}
    found = {}
    for key, value in environ.items():
        name = key[len(ENV_PREFIX) :].lower()
        if key.startswith(ENV_PREFIX) and name in known:
            found[name] = value
    return found


def load_settings(
    config_file: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Resolve settings in order: defaults, file, environment, overrides."""
    env = dict(os.environ if environ is None else environ)
    settings = Settings()
    file_name = config_file or env.get(ENV_PREFIX + "CONFIG")
    if file_name:
        from_file = _from_file(Path(file_name))
        settings = _apply(settings, from_file, str(file_name))
        parse_tokens(
            settings.write_tokens if "write_tokens" in from_file else "",
            origin=str(file_name),
            plain_allowed=False,
        )
    settings = _apply(settings, _from_environment(env), "environment")
    if overrides:
        settings = _apply(settings, overrides, "overrides")
    _check_backend(settings)
    parse_tokens(settings.write_tokens, origin="settings", plain_allowed=True)
    try:
        settings.namespaces  # noqa: B018 - validates the base IRI before anything uses it
    except ValueError as exc:
        raise ConfigError(f"setting 'base_iri': {exc}") from None
    return settings


BACKENDS = ("embedded", "remote")


def _check_backend(settings: Settings) -> None:
    if settings.store_backend not in BACKENDS:
        raise ConfigError(
            f"setting 'store_backend': {settings.store_backend!r} is not one of {', '.join(BACKENDS)}"
        )
    if settings.store_backend != "remote":
        return
    for name in ("remote_query_url", "remote_update_url", "remote_store_url"):
        url = getattr(settings, name)
        if url and not url.startswith(("http://", "https://")):
            raise ConfigError(f"setting {name!r}: {url!r} is not an http(s) URL")
    if not settings.remote_query_url:
        raise ConfigError("store_backend = 'remote' needs remote_query_url (the store's SPARQL query URL)")
