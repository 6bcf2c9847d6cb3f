"""What a query text is, read before the engine runs it — in time linear in its length.

Two kinds of reading, kept apart on purpose:

- **Refusals that protect the server** do not depend on a grammar of our own agreeing with the
  engine's. ``SERVICE`` is refused wherever the word appears in the text once SPARQL's
  codepoint escapes are applied — in a comment or a string too (a false refusal, with a message
  that says so) — except right after a colon, inside a prefixed name such as ``sd:Service``; a
  text nested deeper than the engine can parse is refused by counting brackets.
  Network isolation of the query processes (:mod:`kgapp.engine.isolation`) backs the first.
- **Hints that shape the answer** use a lexical scan that skips comments, strings and IRIs:
  whether the query names its own dataset (``FROM``), whether it could use ``GRAPH``, and which
  update operation it starts with, for a clear message (the engine parses queries only, so an
  update can never run). A wrong hint costs a clearer message or a slower query, never safety.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from kgapp.errors import QueryRefused

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
MAX_NESTING = 200
# Text that holds the letters "service" and can never be the SERVICE operator.
NOT_THE_OPERATOR = ("<http://www.w3.org/ns/sparql-service-description#",)

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Right after a colon the letters belong to a prefixed name (``sd:Service``): the engine reads
# the longest name it can, so they can never start the operator.
_SERVICE = re.compile("(?<!:)service", re.IGNORECASE)
_GRAPH = re.compile("graph", re.IGNORECASE)
# Each alternative is possessive or ends at the end of the text, so the scan never backtracks:
# every character is consumed once.
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*+)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*+(?:'''|\Z)|\"\"\"(?:[^"\\]|\\.|"(?!""))*+(?:\"\"\"|\Z)
                |'(?:[^'\\\n\r]|\\.)*+'?|"(?:[^"\\\n\r]|\\.)*+"?)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*+>)
    | (?P<variable>[?$]\w*+)
    | (?P<name>[\w\-.%\\:]++)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def unescape(query: str) -> str:
    """Apply SPARQL's codepoint escapes (§19.2) so an escaped keyword is still seen."""

    def replace(match: re.Match[str]) -> str:
        codepoint = int(match.group(1) or match.group(2), 16)
        return chr(codepoint) if codepoint <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(replace, query)


def _names(query: str) -> list[str]:
    """The names of a query (keywords, prefixed names, numbers), upper-cased, in order."""
    return [m.group(0).upper() for m in _TOKEN.finditer(unescape(query)) if m.lastgroup == "name"]


def keywords(query: str) -> list[str]:
    """The bare words of a query (no prefixed names or numbers), upper-cased, in order."""
    return [n for n in _names(query) if ":" not in n and n[:1].isalpha()]


def refuse(query: str) -> None:
    """Raise :class:`QueryRefused` for a query this endpoint does not run: an update, ``SERVICE``
    anywhere in the text, or nesting deeper than the engine can parse."""
    words = keywords(query)
    first = next((w for w in words if w not in {"BASE", "PREFIX"}), "")
    update = first if first in UPDATE_KEYWORDS else next((w for w in words if w in UPDATE_KEYWORDS), "")
    if update:
        raise QueryRefused(
            f"this endpoint is read-only: {update} is a SPARQL Update operation and is not "
            "accepted here; only SELECT, CONSTRUCT, DESCRIBE and ASK queries are answered",
            operation=update,
        )
    if "DEFINE" in words:
        raise QueryRefused(
            "DEFINE is a store's own pragma, not SPARQL 1.1, and is not accepted here",
            operation="DEFINE",
        )
    text = unescape(query)
    for harmless in NOT_THE_OPERATOR:
        text = text.replace(harmless, "")
    if _SERVICE.search(text):
        raise QueryRefused(
            "SERVICE (federated query) is not allowed: this endpoint answers from its own dataset "
            "only and never contacts another server. The word is refused wherever it appears, "
            "in a comment or a string too: rephrase those",
            operation="SERVICE",
        )
    if nesting_depth(query) > MAX_NESTING:
        raise QueryRefused(
            f"the query nests brackets more than {MAX_NESTING} deep; this endpoint does not parse it",
            operation="nesting",
        )


def nesting_depth(query: str) -> int:
    """How deep ``(``, ``[`` and ``{`` nest, counted over the whole text (strings included)."""
    depth = deepest = 0
    for character in query:
        if character in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif character in ")]}":
            depth = max(depth - 1, 0)
    return deepest


def dataset_clauses(query: str) -> tuple[bool, bool]:
    """Whether the query has ``FROM`` and ``FROM NAMED`` clauses, glued names included
    (``FROMex:g``, ``FROM NAMEDex:g``), as the engine reads them."""
    names = _names(query)
    has_from = has_from_named = False
    for token, following in pairwise([*names, ""]):
        if not token.startswith("FROM"):
            continue
        rest = token[len("FROM") :]
        if rest.startswith("NAMED") or (not rest and following.startswith("NAMED")):
            has_from_named = True
        else:
            has_from = True
    return has_from, has_from_named


def names_dataset(query: str) -> bool:
    if "\\" not in query and "from" not in query.lower():  # most queries: no need to scan
        return False
    return any(dataset_clauses(query))


def may_use_named_graphs(query: str) -> bool:
    """False only when the text cannot hold ``GRAPH``: the word appears nowhere in it."""
    return bool(_GRAPH.search(unescape(query)))


FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


def query_form(query: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the query's first keyword after its prologue
    (SELECT when it has none of them, and the engine will say what is wrong)."""
    first = next((w for w in keywords(query) if w not in {"BASE", "PREFIX"}), "")
    return first if first in FORMS else "SELECT"


def _tokens(query: str) -> Iterator[re.Match[str]]:
    return _TOKEN.finditer(unescape(query))


def undeclared_prefixes(query: str) -> set[str]:
    """The prefixes the query's prefixed names use and its prologue does not declare."""
    used: set[str] = set()
    declared: set[str] = set()
    declaring = False
    for match in _tokens(query):
        kind, text = match.lastgroup, match.group(0)
        if kind != "name":
            continue
        if text.upper() == "PREFIX":
            declaring = True
            continue
        prefix, colon, _ = text.partition(":")
        if colon and not prefix.startswith("_") and not prefix[:1].isdigit():
            (declared if declaring else used).add(prefix)
        declaring = False
    return used - declared


def tokens(query: str) -> Iterator[tuple[str, str, int, int]]:
    """The query's tokens as (kind, text, start, end): kinds comment, string, iri, variable,
    name and other (one character)."""
    for match in _TOKEN.finditer(query):
        yield match.lastgroup or "other", match.group(0), match.start(), match.end()


def iris(query: str) -> Iterator[str]:
    """The IRIs written in full in the query (``<…>``), without their brackets."""
    for match in _TOKEN.finditer(query):
        if match.lastgroup == "iri":
            yield match.group(0)[1:-1]


def relative_iris(query: str) -> bool:
    """Whether the query holds an IRI without a scheme, which its base resolves."""
    return any(m.lastgroup == "iri" and not _ABSOLUTE.match(m.group(0)[1:-1]) for m in _tokens(query))


_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def inline_values(query: str, values: dict[str, str]) -> str:
    """The query with ``VALUES ?name { term }`` at the head of its pattern, and of the pattern of
    every subquery that mentions the variable: how a value is bound before evaluation, as the
    engine's own binding does, in a query sent as text."""
    position = _pattern_start(query)
    if position is None:
        raise ValueError("the query has no pattern to bind values in")
    if _first_word(query, position) == "SELECT":
        raise ValueError("the query's pattern is a subquery alone: wrap it in braces to bind values in it")
    inserts = {position: values}
    for start, end in _subquery_patterns(query):
        mentioned = {n: v for n, v in values.items() if re.search(rf"[?$]{re.escape(n)}\b", query[start:end])}
        if mentioned and _first_word(query, start) != "SELECT":
            inserts[start] = mentioned
    for at in sorted(inserts, reverse=True):
        block = " ".join(f"VALUES ?{name} {{ {term} }}" for name, term in inserts[at].items())
        query = query[:at] + " " + block + " " + query[at:]
    return query


def _first_word(query: str, position: int) -> str:
    following = (text for kind, text, _, _ in tokens(query[position:]) if kind != "comment" and text.strip())
    return next(following, "").upper()


def _subquery_patterns(query: str) -> list[tuple[int, int]]:
    """(start, end) of the pattern group of each subquery: the first ``{`` after a nested
    ``SELECT`` (outside parentheses), to its matching ``}``."""
    found: list[tuple[int, int]] = []
    depth, parens = 0, 0
    waiting: list[int] = []  # brace depths at which a nested SELECT waits for its pattern
    open_at: dict[int, int] = {}  # depth → start of a subquery pattern opened there
    for kind, text, start, end in tokens(query):
        if kind == "name" and text.upper() == "SELECT" and depth > 0:
            waiting.append(depth)
        elif kind == "other" and text in "()":
            parens += 1 if text == "(" else -1
        elif kind == "other" and text == "{":
            if waiting and waiting[-1] == depth and parens == 0:
                waiting.pop()
                open_at[depth + 1] = end
            depth += 1
        elif kind == "other" and text == "}":
            if depth in open_at:
                found.append((open_at.pop(depth), start))
            depth -= 1
    return found


def _pattern_start(query: str) -> int | None:
    """Where the query pattern's group begins, just after its ``{``: the group after a top-level
    ``WHERE``, else (``WHERE`` being optional) the first group — the second for CONSTRUCT,
    whose first is the template. None when there is no pattern to bind in (``DESCRIBE <x>``, or
    ``CONSTRUCT WHERE``, whose pattern is a template and holds no ``VALUES``)."""
    form = query_form(query)
    depth, groups, after_where = 0, 0, False
    for match in _TOKEN.finditer(query):
        kind, text = match.lastgroup, match.group(0)
        if kind == "name" and text.upper() == "WHERE" and depth == 0:
            if form == "CONSTRUCT" and groups == 0:
                return None
            after_where = True
        elif kind == "other" and text == "{":
            if depth == 0 and (after_where or groups == (1 if form == "CONSTRUCT" else 0)):
                return match.end()
            depth += 1
        elif kind == "other" and text == "}":
            depth -= 1
            if depth == 0:
                groups += 1
    return None
