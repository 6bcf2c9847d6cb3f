"""Content negotiation: one pure function from an ``Accept`` header and what we can offer to
the media type we answer with (RFC 9110 §12.5.1).

Rules: the highest q-value wins; among equal q-values the more specific range wins
(``text/turtle`` over ``text/*`` over ``*/*``); among offers matched by the same range, the
server's order of preference decides. ``q=0`` refuses a type. A missing or empty header means
"anything", which yields the first offer. ``None`` means nothing acceptable: answer 406.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kgapp.errors import NotAcceptable


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    params: tuple[tuple[str, str], ...] = ()

    @property
    def specificity(self) -> int:
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 2 + len(self.params)

    def matches(self, media_type: str) -> bool:
        offered_type, _, offered_subtype = media_type.partition("/")
        if self.type == "*":
            return True
        if self.type != offered_type:
            return False
        return self.subtype in {"*", offered_subtype}


def _parse_q(value: str) -> float:
    try:
        q = float(value)
    except ValueError:
        return 0.0
    return min(max(q, 0.0), 1.0)


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header; malformed members are skipped rather than failing the request."""
    ranges: list[MediaRange] = []
    for member in (header or "").split(","):
        parts = [p.strip() for p in member.split(";")]
        full_type = parts[0].lower()
        if "/" not in full_type:
            continue
        main, _, sub = full_type.partition("/")
        if not main or not sub or (main == "*" and sub != "*"):
            continue
        q = 1.0
        params: list[tuple[str, str]] = []
        for param in parts[1:]:
            key, _, value = param.partition("=")
            key, value = key.strip().lower(), value.strip().strip('"')
            if key == "q":
                q = _parse_q(value)
            elif key:
                params.append((key, value))
        ranges.append(MediaRange(main, sub, q, tuple(params)))
    return ranges


def negotiate(header: str | None, offers: Sequence[str]) -> str | None:
    """The offer to answer with, or None when the client accepts none of them."""
    if not offers:
        return None
    ranges = parse_accept(header)
    if not ranges:
        return offers[0]
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for preference, offer in enumerate(offers):
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        most_specific = max(matching, key=lambda r: r.specificity)
        if most_specific.q <= 0:
            continue
        rank = (most_specific.q, most_specific.specificity, -preference)
        if best is None or rank > best:
            best, chosen = rank, offer
    return chosen


def negotiate_or_406(header: str | None, offers: Sequence[str]) -> str:
    chosen = negotiate(header, offers)
    if chosen is None:
        raise NotAcceptable(
            f"none of the requested types ({header}) can be produced here; available: " + ", ".join(offers),
            available=list(offers),
        )
    return chosen


def prefers_html(header: str | None) -> bool:
    """True when a browser-like Accept ranks text/html at least as high as any RDF or JSON."""
    if not header:
        return False
    ranges = parse_accept(header)
    html = [r for r in ranges if r.type == "text" and r.subtype == "html"]
    return (
        bool(html) and html[0].q > 0 and negotiate(header, ["text/html", "application/json"]) == "text/html"
    )
