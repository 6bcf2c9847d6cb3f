"""The full-text engine behind search: SQLite FTS5, from the standard library, in memory.

One row per named thing with its names, aliases and acronyms (``skos:altLabel``), description
and type (:mod:`kgapp.readmodel.names` builds it once per build). FTS5 gives
whole-word matching in any order, the Porter stemmer ("exceptions" finds "exception") and BM25
ranking; :mod:`kgapp.readmodel.spelling` writes British spellings the American way on both sides.
A query is reduced to its words before it reaches FTS5, so no query syntax a reader types can
reach the engine; its size is bounded before any work.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

from kgapp.readmodel.spelling import normalized, words

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
# BM25 weights of the columns: a word in a name counts most, then an alias, a description, the
# type, the date (its year and month: "tariff 2025" finds the 2025 pause).
WEIGHTS = (10.0, 8.0, 1.0, 2.0, 2.0)
SCHEMA = (
    "CREATE VIRTUAL TABLE things USING fts5("
    "name, aliases, description, kind, dates, tokenize = 'porter unicode61 remove_diacritics 2')"
)
VOCABULARY_TYPES = {"class", "property"}
# Kinds of things that classify others (a measure type, a category of goods), ranked after both.
CONCEPT_TYPES = {
    "measure type",
    "external classification",
    "activity type",
    "goods category",
    "metric",
    "unit",
}


@dataclass(frozen=True)
class Entry:
    """A named thing as search shows it."""

    iri: str
    label: str
    aliases: tuple[str, ...]
    description: str | None
    type: str | None
    date: str | None
    registered: bool = False  # a lasting thing of the registry: a law, a measure, a person, a body
    mentions: int = 0  # statements of the sources that name it

    @property
    def tier(self) -> int:
        """Lasting things first, then the facts that mention them, then concepts and ontology terms."""
        if self.type is None or self.type in VOCABULARY_TYPES or self.type in CONCEPT_TYPES:
            return 2
        return 0 if self.registered else 1


@dataclass(frozen=True)
class Found:
    entry: Entry
    score: float  # lower is better (BM25 as FTS5 gives it), exact names first
    exact: bool  # the query is one of its names
    matched: str  # the name that holds every word of the query (an alias, or the label)


RANKED = "SELECT rowid FROM things WHERE things MATCH ? ORDER BY rank LIMIT ?"
UNRANKED = "SELECT rowid FROM things WHERE things MATCH ? LIMIT ?"
COMMON_WORDS = frozenset({"the", "of", "and", "in", "on", "for", "to", "by", "at", "an", "as", "is", "with"})


class FullTextIndex:
    """An in-memory FTS5 table of every named thing; safe to share between threads."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(SCHEMA)
        self._db.executemany(
            "INSERT INTO things(rowid, name, aliases, description, kind, dates) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    number,
                    normalized(e.label),
                    normalized(" ; ".join(e.aliases)),
                    normalized(e.description or ""),
                    normalized(e.type or ""),
                    normalized(e.date or ""),
                )
                for number, e in enumerate(entries)
            ],
        )
        self.vocabulary = sorted({w for e in entries for name in (e.label, *e.aliases) for w in words(name)})
        self.known = frozenset(self.vocabulary)
        self._shapes: dict[tuple[str, int], list[str]] = {}
        for word in self.vocabulary:
            self._shapes.setdefault((word[:1], len(word)), []).append(word)

    def near_words(self, word: str) -> list[str]:
        """The words of the vocabulary a misspelling of ``word`` could be: the same first letter,
        at most two letters longer or shorter. A correction compares with these only, so its cost
        follows how many words look alike, not the vocabulary."""
        return [
            w for size in range(len(word) - 2, len(word) + 3) for w in self._shapes.get((word[:1], size), ())
        ]

    def search(self, text: str, limit: int, prefix: bool = False) -> list[Found]:
        """Things holding every word of ``text`` (the last one as a prefix, with ``prefix``), best
        first: a thing named exactly so, then lasting things, facts, concepts, each by BM25."""
        wanted = query_words(text)
        if not wanted:
            return []
        rows = self._match(wanted, prefix, limit * 3)
        found = [self._found(number, score, wanted) for number, score in rows]
        found.sort(key=lambda f: self._rank(f, wanted))
        return found[:limit]

    @staticmethod
    def _rank(found: Found, wanted: list[str]) -> tuple[object, ...]:
        """A name the query is, first; then lasting things before facts and concepts; among them,
        a name holding the words as typed, in order ("autonomy act": the Act before the sanctions
        under it), then a name holding them all, then the thing the sources name most (the
        consulate in Hong Kong before its namesakes), then BM25."""
        phrase = f" {' '.join(_stems(wanted))} "
        names = [f" {' '.join(_stems(words(n)))} " for n in (found.entry.label, *found.entry.aliases)]
        in_order = any(phrase in name for name in names)
        in_a_name = any(set(_stems(wanted)) <= set(name.split()) for name in names)
        often = found.entry.mentions.bit_length()  # powers of two: a few more mentions do not reorder
        entry = found.entry
        return (
            not found.exact,
            entry.tier,
            not in_order,
            not in_a_name,
            -often,
            found.score,
            entry.label.casefold(),
        )

    def search_some(self, text: str, limit: int) -> list[Found]:
        """Things holding some of the words of ``text``, best first (most words, then BM25): for
        a query of several words that no thing holds all of ("Pompeo Ross")."""
        wanted = [w for w in query_words(text) if w not in COMMON_WORDS]
        if len(wanted) < 2:
            return []
        rows = self._match(wanted, False, limit * 3, any_word=True)
        found = [self._found(number, score, wanted) for number, score in rows]
        found.sort(
            key=lambda f: (-self._held(f.entry, wanted), f.entry.tier, f.score, f.entry.label.casefold())
        )
        return found[:limit]

    @staticmethod
    def _held(entry: Entry, wanted: list[str]) -> int:
        held = {w for name in (entry.label, *entry.aliases) for w in words(name)}
        return len(set(wanted) & held)

    def any_of(self, wanted: list[str], limit: int) -> list[Entry]:
        """Things holding ``wanted`` (each also as the start of a word), at most ``limit``: the
        candidates a caller ranks by its own measure. Things holding every word of several come
        first, best first; then, while there is room, things holding any of them, as the index
        lists them (unranked, so that a common word costs no more than ``limit`` rows). Words of one letter
        and the commonest English ones find nothing on their own."""
        words = [w for w in dict.fromkeys(wanted) if len(w) > 1 and w not in COMMON_WORDS]
        if not words:
            return []
        every = " AND ".join(f'"{w}"*' for w in words)
        any_ = " OR ".join(f'"{w}"*' for w in words)
        with self._lock:
            rows = self._db.execute(RANKED, (every, limit)).fetchall() if len(words) > 1 else []
            if len(rows) < limit:
                rows += self._db.execute(UNRANKED, (any_, limit)).fetchall()
        numbers = list(dict.fromkeys(number for (number,) in rows))[:limit]
        return [self.entries[number] for number in numbers]

    def count(self, text: str) -> int:
        wanted = query_words(text)
        return len(self._match(wanted, False, len(self.entries))) if wanted else 0

    def _match(
        self, wanted: list[str], prefix: bool, limit: int, any_word: bool = False
    ) -> list[tuple[int, float]]:
        terms = [f'"{w}"' for w in wanted]
        if prefix:
            terms[-1] += "*"
        sql = f"SELECT rowid, bm25(things, {', '.join(map(str, WEIGHTS))}) FROM things WHERE things MATCH ? "
        match = (" OR " if any_word else " ").join(terms)
        with self._lock:
            return self._db.execute(sql + "ORDER BY 2 LIMIT ?", (match, limit)).fetchall()

    def _found(self, number: int, score: float, wanted: list[str]) -> Found:
        entry = self.entries[number]
        phrase = " ".join(wanted)
        names = [entry.label, *entry.aliases]
        exact = any(" ".join(words(name)) == phrase for name in names)
        holding = [n for n in names if set(wanted) <= set(words(n))]
        return Found(entry, score, exact, holding[0] if holding else entry.label)


def query_words(text: str) -> list[str]:
    """The words of a query, bounded: at most MAX_WORDS of the first MAX_QUERY_LENGTH characters."""
    return words(text[:MAX_QUERY_LENGTH])[:MAX_WORDS]


def _stems(found: list[str]) -> list[str]:
    """Words with a plural's ending taken off, as the index's stemmer takes it (exceptions →
    exception), for telling whether a name holds the words typed."""
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in found]
