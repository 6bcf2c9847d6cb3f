"""HTTP authentication towards a remote store: a bearer token, or the user and password answered
to the scheme the store asks for (Basic or Digest, RFC 7617 and RFC 7616), as ``curl --anyauth``
does. Virtuoso asks Digest on its update and Graph Store URLs; most stores behind a proxy ask
Basic; a token is sent as it is."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import threading
from dataclasses import dataclass

_PARAMETER = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')
_HASHES = {
    "MD5": hashlib.md5,
    "MD5-SESS": hashlib.md5,
    "SHA-256": hashlib.sha256,
    "SHA-256-SESS": hashlib.sha256,
}


@dataclass(frozen=True)
class Credentials:
    user: str = ""
    password: str = ""
    token: str = ""

    @property
    def given(self) -> bool:
        return bool(self.token or self.user)


class Challenge:
    """What one server asked for (its ``WWW-Authenticate``), and how to answer it again."""

    def __init__(self, scheme: str, parameters: dict[str, str]) -> None:
        self.scheme = scheme
        self.parameters = parameters
        self._count = 0
        self._lock = threading.Lock()

    def answer(self, credentials: Credentials, method: str, target: str) -> str:
        if self.scheme == "basic":
            pair = f"{credentials.user}:{credentials.password}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return self._digest(credentials, method, target)

    def _digest(self, credentials: Credentials, method: str, target: str) -> str:
        p = self.parameters
        algorithm = p.get("algorithm", "MD5").upper()
        digest = _HASHES.get(algorithm, hashlib.md5)

        def h(text: str) -> str:
            return digest(text.encode("utf-8")).hexdigest()

        realm, nonce = p.get("realm", ""), p.get("nonce", "")
        with self._lock:
            self._count += 1
            count = f"{self._count:08x}"
        cnonce = os.urandom(8).hex()
        a1 = h(f"{credentials.user}:{realm}:{credentials.password}")
        if algorithm.endswith("-SESS"):
            a1 = h(f"{a1}:{nonce}:{cnonce}")
        a2 = h(f"{method}:{target}")
        qops = [q.strip() for q in p.get("qop", "").split(",") if q.strip()]
        fields = {"username": credentials.user, "realm": realm, "nonce": nonce, "uri": target}
        if "auth" in qops:
            fields |= {"qop": "auth", "nc": count, "cnonce": cnonce}
            fields["response"] = h(f"{a1}:{nonce}:{count}:{cnonce}:auth:{a2}")
        else:
            fields["response"] = h(f"{a1}:{nonce}:{a2}")
        if "opaque" in p:
            fields["opaque"] = p["opaque"]
        fields["algorithm"] = p.get("algorithm", "MD5")
        unquoted = {"qop", "nc", "algorithm"}
        return "Digest " + ", ".join(
            f"{k}={v}" if k in unquoted else f'{k}="{_quote(v)}"' for k, v in fields.items()
        )


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def parse_challenge(header: str) -> Challenge | None:
    """The strongest scheme a ``WWW-Authenticate`` header offers that we can answer."""
    offers: dict[str, dict[str, str]] = {}
    for part in re.split(r",\s*(?=(?:Basic|Digest|Bearer)\b)", header, flags=re.IGNORECASE):
        scheme, _, rest = part.strip().partition(" ")
        offers[scheme.lower()] = {
            m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in _PARAMETER.finditer(rest)
        }
    for scheme in ("digest", "basic"):
        if scheme in offers:
            return Challenge(scheme, offers[scheme])
    return None
