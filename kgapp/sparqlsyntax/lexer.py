"""The terminals of the SPARQL 1.1 grammar (§19.8), read in one pass over the text.

Every token is one of the grammar's terminals, read as the specification reads them: comments
end at a line feed or a carriage return, a language tag is always a language tag, and a number
is never glued to the name after it. The parser takes these tokens and nothing else, and the
writer emits text rebuilt from them, so how another engine would have read the raw text never
matters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kgapp.errors import QuerySyntaxError

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = rf"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = rf"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_VARNAME = rf"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_ECHAR = r"\\[tbnrf\\\"']"

# Order matters where two terminals share a prefix: long strings before short ones, prefixed
# names before bare words, doubles before decimals before integers, two-character operators
# before one-character ones. Every alternative is possessive or anchored by its delimiters,
# so the scan is linear in the length of the text.
_TERMINALS = [
    ("ws", r"[ \t\r\n]++"),
    ("comment", r"\#[^\r\n]*+"),
    ("iri", r"<[^<>\"{}|^`\\\x00-\x20]*+>"),
    ("string", rf"'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*+'''"),
    ("string", rf'"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*+"""'),
    ("string", rf"'(?:[^'\\\n\r]|{_ECHAR})*+'"),
    ("string", rf'"(?:[^"\\\n\r]|{_ECHAR})*+"'),
    ("pname", rf"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
    ("bnode", rf"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
    ("var", rf"[?$]{_VARNAME}"),
    ("langtag", r"@[a-zA-Z]++(?:-[a-zA-Z0-9]++)*+"),
    ("number", r"(?:[0-9]++\.[0-9]*+|\.[0-9]++|[0-9]++)[eE][+\-]?[0-9]++"),
    ("number", r"[0-9]*+\.[0-9]++"),
    ("number", r"[0-9]++"),
    ("word", r"[A-Za-z_][A-Za-z0-9_]*+"),
    ("op", r"\^\^|&&|\|\||!=|<=|>="),
    ("op", r"[{}()\[\];,.*/|^?+\-!=<>]"),
]
_SCANNER = re.compile("|".join(f"(?P<{kind}{i}>{pattern})" for i, (kind, pattern) in enumerate(_TERMINALS)))
_KIND = {f"{kind}{i}": kind for i, (kind, _) in enumerate(_TERMINALS)}
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # iri, string, pname, bnode, var, langtag, number, word, op, end
    text: str
    position: int  # offset in the unescaped text


def unescape_codepoints(text: str) -> str:
    """Apply SPARQL's codepoint escapes (§19.2), which come before any other reading."""

    def replace(match: re.Match[str]) -> str:
        codepoint = int(match.group(1) or match.group(2), 16)
        if codepoint > 0x10FFFF or 0xD800 <= codepoint <= 0xDFFF:
            raise QuerySyntaxError(f"\\u escape {match.group(0)} is not a Unicode character")
        return chr(codepoint)

    return _ESCAPE.sub(replace, text) if "\\u" in text or "\\U" in text else text


def scan(text: str) -> Iterator[Token]:
    """The tokens of ``text`` (already unescaped) as they are read, whitespace and comments left
    out, ended by an ``end`` token; QuerySyntaxError at the first character no terminal starts
    with. Read lazily, so a text that goes wrong early costs what was read up to there."""
    position, length = 0, len(text)
    match = _SCANNER.match
    while position < length:
        found = match(text, position)
        if found is None:
            raise syntax_error(text, position, _unexpected(text[position]))
        kind = _KIND[found.lastgroup or ""]
        if kind not in ("ws", "comment"):
            yield Token(kind, found.group(), position)
        position = found.end()
    yield Token("end", "", length)


def tokenize(text: str) -> list[Token]:
    return list(scan(text))


def _unexpected(character: str) -> str:
    if character in "\"'":
        return f"a string opened with {character} is not closed on its line"
    return f"unexpected character {character!r}"


def line_and_column(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return line, column


def syntax_error(text: str, position: int, message: str) -> QuerySyntaxError:
    """An error at ``position``, said as engines say it (``error at 3:7: …``): line and column
    from 1, also given apart for the editor."""
    line, column = line_and_column(text, position)
    return QuerySyntaxError(f"error at {line}:{column}: {message}", line=line, column=column)
