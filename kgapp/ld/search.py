"""Search over labels and alternative names, for the search page, autocomplete and 404 hints.

The index is small (every named thing in the graph) and is read once per build; matching is
done here so that it can rank whole-word, prefix and fuzzy matches the way a reader expects.
"""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgapp import queries
from kgapp.ld.terms import local_name, text_of
from kgapp.ld.urls import UrlBuilder
from kgapp.store import KnowledgeStore

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Hit:
    iri: str
    href: str | None
    label: str
    matched: str
    type: str | None
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "url": self.href,
            "label": self.label,
            "matched": self.matched,
            "type": self.type,
        }


@dataclass(frozen=True)
class Entry:
    iri: str
    label: str
    names: tuple[str, ...]
    type: str | None


_cache: dict[Path, list[Entry]] = {}
_lock = threading.Lock()


def index(store: KnowledgeStore) -> list[Entry]:
    with _lock:
        cached = _cache.get(store.build_dir)
    if cached is not None:
        return cached
    preferred: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    types: dict[str, str | None] = {}
    for row in store.select(queries.load("ld/labels")):
        iri, name = row["entity"].value, row["name"].value
        names.setdefault(iri, [])
        if name not in names[iri]:
            names[iri].append(name)
        if row["preferred"].value == "true":
            preferred.setdefault(iri, name)
        types[iri] = types.get(iri) or text_of(row.get("type"))
    entries = [
        Entry(iri, preferred.get(iri) or names[iri][0], tuple(names[iri]), types.get(iri)) for iri in names
    ]
    with _lock:
        _cache.clear()
        _cache[store.build_dir] = entries
    return entries


def _score(query: str, name: str) -> float:
    """1.0 exact, then whole word, prefix, substring; fuzzy similarity below 0.5."""
    q, n = query.casefold(), name.casefold()
    if q == n:
        return 1.0
    if q in n.split():
        return 0.9
    if n.startswith(q):
        return 0.85
    if any(word.startswith(q) for word in n.split()):
        return 0.8
    if q in n:
        return 0.7
    return 0.5 * difflib.SequenceMatcher(None, q, n).ratio()


def search(store: KnowledgeStore, urls: UrlBuilder, query: str, limit: int = 20) -> list[Hit]:
    """Named things whose names match ``query``, best first."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return []
    hits = []
    for entry in index(store):
        score, matched = max((_score(query, name), name) for name in entry.names)
        if score >= 0.7:
            hits.append(Hit(entry.iri, urls.href(entry.iri), entry.label, matched, entry.type, score))
    hits.sort(key=lambda h: (-h.score, h.label.casefold()))
    return hits[:limit]


def close_matches(store: KnowledgeStore, urls: UrlBuilder, iri: str, limit: int = 5) -> list[Hit]:
    """Things whose IRI or names resemble an unknown IRI, for the 404 page."""
    wanted = local_name(iri).replace("-", " ").replace("_", " ").casefold()
    scored = []
    for entry in index(store):
        candidates = [local_name(entry.iri).replace("-", " "), *entry.names]
        score = max(difflib.SequenceMatcher(None, wanted, c.casefold()).ratio() for c in candidates)
        if score >= 0.5 or any(wanted and wanted in c.casefold() for c in candidates):
            scored.append(Hit(entry.iri, urls.href(entry.iri), entry.label, entry.label, entry.type, score))
    scored.sort(key=lambda h: -h.score)
    return scored[:limit]
