"""What a query text is, read before anything runs: its form, whether it names a dataset, and
whether it asks for something this endpoint refuses (``SERVICE``, any update operation).

The scan is lexical: comments, string literals, IRIs, variables, prefixed names and blank-node
labels are skipped whole, so only the language's own keywords are looked at. A bare word in
SPARQL is always a keyword (or ``a``, ``true``, ``false``), so ``SERVICE`` as a bare word can
only be the ``SERVICE`` operator; text such as ``"SERVICE"`` or ``ex:service`` is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from kgapp.errors import QueryRefused

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<term>[?$]\w*|@[A-Za-z]+(?:-[A-Za-z0-9]+)*|[\w\-.%\\]*:[\w\-.:%\\]*
              |\d*\.?\d+(?:[eE][+-]?\d+)?)
    | (?P<word>[A-Za-z_][\w\-]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class QueryShape:
    """What the scan found: the query form and the dataset clauses."""

    form: str
    has_from: bool
    has_from_named: bool

    @property
    def names_dataset(self) -> bool:
        return self.has_from or self.has_from_named


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(query: str) -> str:
    """Apply SPARQL's codepoint escapes (§19.2) so an escaped keyword is still seen."""

    def replace(match: re.Match[str]) -> str:
        codepoint = int(match.group(1) or match.group(2), 16)
        return chr(codepoint) if codepoint <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(replace, query)


def _tokens(query: str) -> list[tuple[str, str]]:
    return [(m.lastgroup or "", m.group(0)) for m in _TOKEN.finditer(_unescape(query))]


def keywords(query: str) -> list[str]:
    """The bare words of a query, upper-cased, in order."""
    return [text.upper() for kind, text in _tokens(query) if kind == "word"]


def _starts_service(kind: str, text: str) -> bool:
    """The query engine reads a keyword even when a name follows it with no space
    (``SERVICEex:e``), so any word or prefixed name that begins with SERVICE counts."""
    return kind in {"word", "term"} and text[:7].upper() == "SERVICE"


def analyse(query: str) -> QueryShape:
    """Classify a query, refusing updates and SERVICE; syntax errors are left to the parser.

    Raises :class:`QueryRefused` for an update operation or a ``SERVICE`` clause.
    """
    words = keywords(query)
    first = next((w for w in words if w not in {"BASE", "PREFIX"}), "")
    if first in UPDATE_KEYWORDS:
        raise QueryRefused(
            f"this endpoint is read-only: {first} is a SPARQL Update operation and is not "
            "accepted here; only SELECT, CONSTRUCT, DESCRIBE and ASK queries are answered",
            operation=first,
        )
    if any(_starts_service(kind, text) for kind, text in _tokens(query)):
        raise QueryRefused(
            "SERVICE (federated query) is not allowed: this endpoint answers from its own "
            "dataset only and never contacts another server",
            operation="SERVICE",
        )
    form = first if first in QUERY_FORMS else ""
    has_from, has_from_named = dataset_clauses(query)
    return QueryShape(form=form, has_from=has_from, has_from_named=has_from_named)


def dataset_clauses(query: str) -> tuple[bool, bool]:
    """Whether the query has ``FROM`` and ``FROM NAMED`` clauses, glued names included
    (``FROMex:g``, ``FROM NAMEDex:g``), as the engine reads them."""
    names = [text.upper() for kind, text in _tokens(query) if kind in {"word", "term"}]
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
