"""Who is writing: the bearer token of a write request, checked against the configured tokens."""

from __future__ import annotations

from flask import Request

from kgapp.config import Settings
from kgapp.errors import KGError
from kgapp.tokens import WriteToken, matching, parse_tokens

REALM = 'Bearer realm="kgapp writes"'


class Unauthorized(KGError):
    title = "Unauthorized"
    status = 401


class WritesOff(KGError):
    title = "Forbidden"
    status = 403


def configured(settings: Settings) -> list[WriteToken]:
    return parse_tokens(settings.write_tokens, origin="settings", plain_allowed=True)


def writes_enabled(settings: Settings) -> bool:
    return bool(settings.write_tokens.strip())


def writer_of(request: Request, settings: Settings, form_token: str | None = None) -> WriteToken:
    """The token's entry; 401 (with ``WWW-Authenticate``) without a token or with a wrong one,
    403 where no token is configured (writes are off)."""
    tokens = configured(settings)
    if not tokens:
        raise WritesOff("this server takes no writes: no write token is configured (write_tokens)")
    presented = form_token or _bearer(request.headers.get("Authorization", ""))
    if not presented:
        raise Unauthorized(
            "a write needs a token: send it as 'Authorization: Bearer <token>'", www_authenticate=REALM
        )
    found = matching(tokens, presented)
    if found is None:
        raise Unauthorized(
            "the token is not one of this server's write tokens",
            www_authenticate=REALM + ', error="invalid_token"',
        )
    return found


def _bearer(header: str) -> str:
    scheme, _, credentials = header.strip().partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""
