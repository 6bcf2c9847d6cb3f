"""Finding things by name, for the search page, autocomplete and "did you mean" on unknown IRIs.

Two indexes, each read once per build: the labels of every named thing (``ld/labels.rq``, also
the site's one table of labels), and the full-text index (:mod:`kgapp.readmodel.fulltext`, from
``search/entries.rq``) that search and suggestions ask. Whatever a client sends, the work is
bounded: queries and unknown names are cut to a length before any matching.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from kgapp import queries
from kgapp.dataset import EVERY_GRAPH
from kgapp.rdfterms import is_true
from kgapp.readmodel import HIDDEN
from kgapp.readmodel.fulltext import Entry as FullTextEntry
from kgapp.readmodel.fulltext import Found, FullTextIndex, query_words
from kgapp.readmodel.links import Links
from kgapp.readmodel.terms import last_resort, local_name, text_of
from kgapp.store import KnowledgeStore

MAX_NAME_LENGTH = 100  # of an unknown IRI's last segment, for "did you mean"
MAX_UNCORRECTED = 3  # words this short (acronyms) are never "corrected" into others
SUGGESTION_CANDIDATES = 20  # things a 404's "did you mean" ranks, at most (best-matching first)


@dataclass(frozen=True)
class Hit:
    iri: str
    url: str | None
    label: str
    matched: str  # the name that holds the words asked for: an alias, or the label
    type: str | None
    date: str | None = None
    description: str | None = None
    score: float = field(default=0.0, metadata={HIDDEN: False})


@dataclass(frozen=True)
class Entry:
    iri: str
    label: str
    names: tuple[str, ...]
    type: str | None


def index(store: KnowledgeStore) -> list[Entry]:
    """Every named thing of the build with its names, read once per build."""
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
        if is_true(row["preferred"]):  # several (sources word a fact their own way): a fixed choice
            preferred[iri] = min(preferred.get(iri, name), name)
        types[iri] = min(filter(None, (types.get(iri), text_of(row.get("type")))), default=None)
    return [
        Entry(iri, preferred.get(iri) or names[iri][0], tuple(names[iri]), types.get(iri)) for iri in names
    ]


def labels(store: KnowledgeStore) -> dict[str, str]:
    """IRI → preferred label, for every named thing of the build: the site's one table of labels."""
    return store.memo(_labels)


def _labels(store: KnowledgeStore) -> dict[str, str]:
    return {entry.iri: entry.label for entry in index(store)}


def label_of(store: KnowledgeStore, iri: str) -> str:
    """The label of a thing: the one table of labels, else the label of last resort."""
    return labels(store).get(iri) or last_resort(iri, store.namespaces)


def kinds(store: KnowledgeStore) -> dict[str, str]:
    """IRI → the label of its asserted type ("export control", "statement"), for every named thing."""
    return store.memo(_kinds)


def _kinds(store: KnowledgeStore) -> dict[str, str]:
    return {e.iri: e.type for e in full_text_index(store).entries if e.type}


def full_text_index(store: KnowledgeStore) -> FullTextIndex:
    """The full-text index of the build, built on first use and kept until the build is replaced."""
    return store.memo(_build_full_text)


def _build_full_text(store: KnowledgeStore) -> FullTextIndex:
    preferred = {entry.iri: entry.label for entry in index(store)}
    aspects: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in store.select(queries.load("search/entries")):
        found = aspects[row["entity"].value][row["key"].value]
        if row["x"].value not in found:
            found.append(row["x"].value)
    for row in store.select(queries.load("search/mentions"), dataset=EVERY_GRAPH):
        if row["entity"].value in aspects:
            aspects[row["entity"].value]["mentions"] = [row["mentions"].value]
    return FullTextIndex(
        [_entry(iri, a, preferred.get(iri)) for iri, a in sorted(aspects.items()) if a.get("name")]
    )


def _entry(iri: str, aspects: dict[str, list[str]], label: str | None) -> FullTextEntry:
    names = aspects["name"]
    if label in names:
        names = [label, *(n for n in names if n != label)]
    types = sorted(aspects.get("type", []))  # a fixed choice among several: stores differ in order
    dates = sorted(aspects.get("date", []), key=lambda d: (-len(d), d))
    return FullTextEntry(
        iri=iri,
        label=names[0],
        aliases=tuple(n for n in [*names[1:], *aspects.get("alias", [])] if n != names[0]),
        description=min(aspects.get("description", []), default=None),
        type=types[0] if types else None,
        date=dates[0] if dates else None,
        registered="registered" in aspects,
        mentions=max((int(n) for n in aspects.get("mentions", []) if n.isdigit()), default=0),
    )


def _hit(found: Found, urls: Links) -> Hit:
    e = found.entry
    return Hit(e.iri, urls.href(e.iri), e.label, found.matched, e.type, e.date, e.description, found.score)


def search(store: KnowledgeStore, urls: Links, query: str, limit: int = 20) -> list[Hit]:
    """Named things holding every word of ``query`` as whole words, best first."""
    return [_hit(f, urls) for f in full_text_index(store).search(query, limit)]


def search_some(store: KnowledgeStore, urls: Links, query: str, limit: int = 20) -> list[Hit]:
    """Named things holding some of the words of ``query``, those holding most first."""
    return [_hit(f, urls) for f in full_text_index(store).search_some(query, limit)]


def suggest(store: KnowledgeStore, urls: Links, query: str, limit: int = 10) -> list[Hit]:
    """Suggestions while typing: whole-word matches first, then those the last word begins,
    unless it is typed in capitals (an acronym: "EAR" is not the start of "earlier")."""
    engine = full_text_index(store)
    found = engine.search(query, limit)
    if not _acronym(query.split()[-1] if query.split() else ""):
        seen = {f.entry.iri for f in found}
        found += [f for f in engine.search(query, limit, prefix=True) if f.entry.iri not in seen]
    return [_hit(f, urls) for f in found[:limit]]


def _acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class Alternative:
    """Another query that finds something, offered when a query finds nothing."""

    query: str
    count: int


def alternatives(store: KnowledgeStore, query: str) -> list[Alternative]:
    """For a query that finds nothing: the query with misspelt words corrected, then each word
    alone, with how many things each finds."""
    engine = full_text_index(store)
    wanted = query_words(query)
    corrected = _corrected(wanted, engine)
    offered = [" ".join(corrected)] if corrected != wanted else []
    offered += [w for w in dict.fromkeys(corrected) if len(wanted) > 1]
    found = [Alternative(q, engine.count(q)) for q in dict.fromkeys(offered)]
    return [a for a in found if a.count]


def _corrected(wanted: list[str], engine: FullTextIndex) -> list[str]:
    """The words, each one the index does not know replaced by the closest one it does."""
    return [
        w if w in engine.known or len(w) <= MAX_UNCORRECTED else _closest(w, engine.near_words(w))
        for w in wanted
    ]


def _closest(word: str, candidates: list[str]) -> str:
    return next(iter(difflib.get_close_matches(word, candidates, 1, 0.75)), word)


def close_matches(store: KnowledgeStore, urls: Links, iri: str, limit: int = 5) -> list[Hit]:
    """Things whose IRI or names resemble an unknown IRI, for the 404 page: the things holding a
    word of its name (misspelt words corrected, each also as the start of a word), at most
    SUGGESTION_CANDIDATES of them, ranked by how alike the names are. The cost follows those
    candidates, never the whole graph."""
    wanted = local_name(iri)[:MAX_NAME_LENGTH].replace("-", " ").replace("_", " ").casefold()
    engine = full_text_index(store)
    words_of_name = query_words(wanted)
    corrected = _corrected(words_of_name, engine)
    scored = []
    matcher = difflib.SequenceMatcher(None)
    matcher.set_seq2(wanted)  # difflib keeps what it learns of the second sequence
    for found in engine.any_of([*words_of_name, *corrected], SUGGESTION_CANDIDATES):
        entry = Entry(found.iri, found.label, (found.label, *found.aliases), found.type)
        candidates = [local_name(entry.iri).replace("-", " "), *entry.names]
        score = max(_similarity(matcher, c.casefold()) for c in candidates)
        if score >= 0.5 or any(wanted and wanted in c.casefold() for c in candidates):
            scored.append(
                Hit(entry.iri, urls.href(entry.iri), entry.label, entry.label, entry.type, score=score)
            )
    scored.sort(key=lambda h: -h.score)
    return scored[:limit]


def _similarity(matcher: difflib.SequenceMatcher[str], candidate: str) -> float:
    """difflib's ratio of ``candidate`` to the matcher's wanted name, skipping the full comparison
    when its cheap upper bound is already low."""
    matcher.set_seq1(candidate)
    if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
        return 0.0
    return matcher.ratio()
