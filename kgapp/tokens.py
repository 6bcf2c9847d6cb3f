"""Write tokens: who may change the graph, and which graphs.

The ``write_tokens`` setting lists entries ``name:scope:credential``, comma-separated:

- ``name`` is who writes: each version a token commits is credited to it;
- ``scope`` is ``*`` (every graph) or graph IRIs separated by ``|`` (with or without ``<…>``);
- ``credential`` is ``sha256-<hex digest of the token>`` — the only form a configuration file
  may hold (``kgapp token`` prints one) — or, from the environment only, the token itself.

A token is compared with every entry's digest in constant time (:func:`hmac.compare_digest`), so
the time an answer takes says nothing about how much of a token was right.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from kgapp.errors import ConfigError

HASH_PREFIX = "sha256-"
EVERY_GRAPH = "*"


@dataclass(frozen=True)
class WriteToken:
    name: str
    graphs: frozenset[str] | None  # None: every graph
    digest: bytes  # sha256 of the token

    def may_write(self, graph: str) -> bool:
        return self.graphs is None or graph in self.graphs


def digest_of(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


def hashed(token: str) -> str:
    """The form a configuration file stores a token in."""
    return HASH_PREFIX + digest_of(token).hex()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def parse_tokens(text: str, *, origin: str, plain_allowed: bool) -> list[WriteToken]:
    """The entries of a ``write_tokens`` value; ``origin`` names where it came from in errors."""
    found: list[WriteToken] = []
    for number, entry in enumerate((e.strip() for e in text.split(",")), start=1):
        if not entry:
            continue
        found.append(_entry(entry, f"{origin}, write_tokens entry {number}", plain_allowed))
    names = [token.name for token in found]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ConfigError(f"{origin}: write_tokens names {', '.join(repeated)} more than once")
    return found


def _entry(entry: str, where: str, plain_allowed: bool) -> WriteToken:
    name, _, rest = entry.partition(":")
    scope, _, credential = rest.rpartition(":")
    if not name or not scope or not credential:
        raise ConfigError(f"{where}: expected name:scope:credential (e.g. alice:*:{HASH_PREFIX}…)")
    return WriteToken(name.strip(), _scope(scope, where), _digest(credential, where, plain_allowed))


def _scope(scope: str, where: str) -> frozenset[str] | None:
    if scope.strip() == EVERY_GRAPH:
        return None
    graphs = frozenset(part.strip().strip("<>") for part in scope.split("|") if part.strip())
    if not graphs or any(not g.startswith(("http://", "https://", "urn:")) for g in graphs):
        raise ConfigError(f"{where}: the scope is '*' or graph IRIs separated by '|', not {scope!r}")
    return graphs


def _digest(credential: str, where: str, plain_allowed: bool) -> bytes:
    if credential.startswith(HASH_PREFIX):
        try:
            digest = bytes.fromhex(credential[len(HASH_PREFIX) :])
        except ValueError:
            digest = b""
        if len(digest) != hashlib.sha256().digest_size:
            raise ConfigError(f"{where}: {HASH_PREFIX} must be followed by 64 hexadecimal digits")
        return digest
    if not plain_allowed:
        raise ConfigError(
            f"{where}: a configuration file holds tokens as hashes ({HASH_PREFIX}…, from 'kgapp token'), "
            "never the token itself"
        )
    if len(credential) < 8:
        raise ConfigError(f"{where}: a token must be at least 8 characters long")
    return digest_of(credential)


def matching(tokens: list[WriteToken], presented: str) -> WriteToken | None:
    """The entry whose token was presented; every entry is compared, so the time is the same."""
    digest = digest_of(presented)
    found = None
    for token in tokens:
        if hmac.compare_digest(token.digest, digest):
            found = token
    return found
