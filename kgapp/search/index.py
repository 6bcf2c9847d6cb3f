"""Search over labels and alternative names, for the search page, autocomplete and 404 hints.

The index is small (every named thing in the graph) and is read once per build; matching is
done here so that it can rank whole-word, prefix and fuzzy matches the way a reader expects.
Whatever a client sends, the work is bounded: queries and unknown names are cut to a length
before any matching.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from kgapp import queries
from kgapp.store import KnowledgeStore
from kgapp.web.jsonview import HIDDEN
from kgapp.web.terms import local_name, text_of
from kgapp.web.urls import UrlBuilder

MAX_QUERY_LENGTH = 200
MAX_NAME_LENGTH = 100  # of an unknown IRI's last segment, for "did you mean"


@dataclass(frozen=True)
class Hit:
    iri: str
    url: str | None
    label: str
    matched: str
    type: str | None
    score: float = field(metadata={HIDDEN: False})


@dataclass(frozen=True)
class Entry:
    iri: str
    label: str
    names: tuple[str, ...]
    type: str | None


def index(store: KnowledgeStore) -> list[Entry]:
    """Every named thing of the build, read once per build."""
    return store.memo(_read_index)


def _read_index(store: KnowledgeStore) -> list[Entry]:
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
    return [
        Entry(iri, preferred.get(iri) or names[iri][0], tuple(names[iri]), types.get(iri)) for iri in names
    ]


def _score(query: str, name: str) -> float:
    """1.0 exact, then whole word, prefix, substring; 0 for no match."""
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
    return 0.0


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
    wanted = local_name(iri)[:MAX_NAME_LENGTH].replace("-", " ").replace("_", " ").casefold()
    scored = []
    for entry in index(store):
        candidates = [local_name(entry.iri).replace("-", " "), *entry.names]
        score = max(_similarity(wanted, c.casefold()) for c in candidates)
        if score >= 0.5 or any(wanted and wanted in c.casefold() for c in candidates):
            scored.append(Hit(entry.iri, urls.href(entry.iri), entry.label, entry.label, entry.type, score))
    scored.sort(key=lambda h: -h.score)
    return scored[:limit]


def _similarity(a: str, b: str) -> float:
    """difflib's ratio, skipping the full comparison when its cheap upper bound is already low."""
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
        return 0.0
    return matcher.ratio()
