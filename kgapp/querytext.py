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
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

from kgapp.errors import QueryRefused, QuerySyntaxError
from kgapp.sparqlsyntax import depth, parse_query

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
MAX_NESTING = 200
LONG_QUERY = 16_000  # characters; shorter queries cannot chain more levels than a query process's stack holds
MAX_PLAN_DEPTH = 2_000  # levels of plan a query may chain (kgapp.engine.worker's stack holds many more)
# Text that holds the letters "service" and can never be the SERVICE operator.
NOT_THE_OPERATOR = ("<http://www.w3.org/ns/sparql-service-description#",)

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Right after a colon the letters belong to a prefixed name (``sd:Service``): the engine reads
# the longest name it can, so they can never start the operator.
_SERVICE = re.compile("(?<!:)service", re.IGNORECASE)
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


@dataclass(frozen=True)
class QueryText:
    """What the endpoint knows of a query before any engine runs it, read in one pass: its form
    (to negotiate the answer's format first), and what decides its dataset (``FROM``, ``GRAPH``).
    It travels with the query, so nothing reads the text again."""

    form: str  # SELECT, CONSTRUCT, DESCRIBE or ASK (SELECT when unclear: the engine will say)
    has_from: bool = False
    has_from_named: bool = False
    may_use_graph: bool = True  # False only when the word GRAPH appears nowhere

    @property
    def names_dataset(self) -> bool:
        return self.has_from or self.has_from_named


def read(query: str, prefixes: Mapping[str, str] | None = None) -> QueryText:
    """The query read once: :class:`QueryRefused` for what the endpoint does not run (see
    :func:`refuse`), else what :class:`QueryText` holds."""
    names = _names(query)
    _refuse(query, [n for n in names if ":" not in n and n[:1].isalpha()], prefixes)
    return shape(query, names)


def shape(query: str, names: list[str] | None = None) -> QueryText:
    """What :class:`QueryText` holds, for a query already known to be one we run (our own)."""
    names = _names(query) if names is None else names
    first = next((n for n in names if ":" not in n and n[:1].isalpha() and n not in {"BASE", "PREFIX"}), "")
    has_from, has_from_named = _dataset_clauses(names)
    may_use_graph = any("GRAPH" in name for name in names)  # glued to a name too: GRAPHex:g
    return QueryText(first if first in FORMS else "SELECT", has_from, has_from_named, may_use_graph)


def refuse(query: str, prefixes: Mapping[str, str] | None = None) -> None:
    """Raise :class:`QueryRefused` for a query this endpoint does not run: an update, ``SERVICE``
    anywhere in the text, nesting deeper than the engine can parse, or (a long query) a plan
    deeper than the engine's stack."""
    _refuse(query, keywords(query), prefixes)


def _refuse(query: str, words: list[str], prefixes: Mapping[str, str] | None) -> None:
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
    if len(query) > LONG_QUERY:
        _refuse_too_deep(query, prefixes or {})


def _refuse_too_deep(query: str, prefixes: Mapping[str, str]) -> None:
    """A long query is measured as an engine would plan it (:mod:`kgapp.sparqlsyntax.depth`):
    short ones cannot chain enough to matter. One our grammar does not read (an engine's own
    extension) is left to the engine to judge."""
    try:
        tree = parse_query(query, prefixes, base="http://example.org/")
    except QuerySyntaxError:
        return
    depth.check(tree, MAX_PLAN_DEPTH)


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
    return _dataset_clauses(_names(query))


def _dataset_clauses(names: list[str]) -> tuple[bool, bool]:
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


FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


FRESH_EACH_TIME = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE"})


def is_repeatable(query: str, form: str) -> bool:
    """Whether the query gives the same bytes each time it runs on one version: not when it asks
    for the time, a random number or fresh identifiers, nor when a CONSTRUCT template makes
    blank nodes (each run labels them anew). A wrong "no" costs a hash of the answer, never a
    wrong tag."""
    if FRESH_EACH_TIME.intersection(keywords(query)):
        return False
    return not (form == "CONSTRUCT" and ("_:" in query or "[" in query))
