"""Reading tokens for the SPARQL parser: the current token and two ahead, errors that name the
place, the nesting bound, the deadline, the prologue, and the terms of the grammar (variables,
IRIs made absolute, literals, numbers, blank nodes)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import kgapp.sparqlsyntax.tree as t
from kgapp.errors import QueryRefused, QuerySyntaxError
from kgapp.sparqlsyntax.iris import is_absolute, resolve
from kgapp.sparqlsyntax.lexer import Token, scan, syntax_error, unescape_codepoints

MAX_DEPTH = 100  # brackets; each costs a few frames of Python's stack, here and in the writer
DEADLINE_EVERY = 2048  # tokens read between two looks at the clock
LOOKAHEAD = 2  # tokens read beyond the current one
# Schemes of a store's own machinery (Virtuoso's built-in functions and SQL), never data.
PRIVATE_SCHEMES = ("bif:", "sql:", "virtrdf:", "nodeid:")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_KIND_NAMES = {"iri": "an IRI in <>", "pname": "a prefixed name", "var": "a variable", "string": "a string"}


def nesting_refused() -> QueryRefused:
    return QueryRefused(
        f"the query nests brackets more than {MAX_DEPTH} deep; this endpoint does not parse it",
        operation="nesting",
    )


class Cursor:
    """The position in the token stream, and what the parser's productions share."""

    def __init__(
        self,
        text: str,
        prefixes: Mapping[str, str],
        base: str | None,
        deadline: Callable[[], None] | None,
    ) -> None:
        self.text = unescape_codepoints(text)
        self._scan = scan(self.text)
        self.tokens: list[Token] = []
        self.index = 0
        self._fill()
        self.prefixes = dict(prefixes)
        self.base = base
        self.deadline = deadline
        self.depth = 0
        self.aggregates_allowed = False
        self.bnodes_allowed = True
        self.variables_allowed = True

    # Tokens -------------------------------------------------------------------------------------
    def _fill(self) -> None:
        """Read ahead: the current token and the ``LOOKAHEAD`` after it are always read."""
        tokens = self.tokens
        while len(tokens) <= self.index + LOOKAHEAD and (not tokens or tokens[-1].kind != "end"):
            tokens.append(next(self._scan))

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind == "end":
            return token
        self.index += 1
        self._fill()
        if self.deadline is not None and self.index % DEADLINE_EVERY == 0:
            self.deadline()
        return token

    def is_word(self, *words: str) -> bool:
        token = self.tokens[self.index]
        return token.kind == "word" and token.text.upper() in words

    def is_op(self, *ops: str) -> bool:
        token = self.tokens[self.index]
        return token.kind == "op" and token.text in ops

    def accept_word(self, word: str) -> bool:
        if self.is_word(word):
            self.advance()
            return True
        return False

    def accept_op(self, op: str) -> bool:
        if self.is_op(op):
            self.advance()
            return True
        return False

    def expect_word(self, word: str) -> None:
        if not self.accept_word(word):
            raise self.error(f"expected {word}")

    def expect_op(self, op: str) -> None:
        if not self.accept_op(op):
            raise self.error(f"expected '{op}'")

    def expect_end(self) -> None:
        if self.token.kind != "end":
            raise self.error("expected the end of the text")

    def error(self, message: str, token: Token | None = None) -> QuerySyntaxError:
        token = token or self.token
        found = "the end of the text" if token.kind == "end" else repr(token.text[:40])
        return syntax_error(self.text, token.position, f"{message}, found {found}")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise nesting_refused()

    def leave(self) -> None:
        self.depth -= 1

    # Prologue -----------------------------------------------------------------------------------
    def prologue(self) -> None:
        while True:
            if self.accept_word("BASE"):
                self.base = self.iri_reference(self.expect_kind("iri"))
            elif self.accept_word("PREFIX"):
                name = self.expect_kind("pname")
                if not name.text.endswith(":") or name.text.count(":") > 1:
                    raise self.error("expected a prefix name ending in ':'", name)
                self.prefixes[name.text[:-1]] = self.iri_reference(self.expect_kind("iri"))
            else:
                return

    def expect_kind(self, kind: str) -> Token:
        if self.token.kind != kind:
            raise self.error(f"expected {_KIND_NAMES.get(kind, kind)}")
        return self.advance()

    def integer(self) -> int:
        token = self.token
        if token.kind != "number" or not token.text.isdigit():
            raise self.error("expected an integer")
        self.advance()
        return int(token.text)

    # Terms --------------------------------------------------------------------------------------
    def var(self) -> t.Var:
        token = self.token
        if token.kind != "var":
            raise self.error("expected a variable")
        if not self.variables_allowed:
            raise self.error("variables are not allowed in INSERT DATA or DELETE DATA")
        self.advance()
        return t.Var(token.text[1:])

    def var_or_iri(self) -> t.Iri | t.Var:
        return self.var() if self.token.kind == "var" else self.iri()

    def iri(self) -> t.Iri:
        token = self.token
        if token.kind == "iri":
            self.advance()
            return t.Iri(self.iri_reference(token))
        if token.kind == "pname":
            self.advance()
            return t.Iri(self.expand(token))
        raise self.error("expected an IRI")

    def iri_reference(self, token: Token) -> str:
        value = token.text[1:-1]
        if not is_absolute(value):
            if self.base is None:
                raise self.error(f"<{value}> is a relative IRI and there is no base to resolve it", token)
            value = resolve(value, self.base)
        return self.checked(value, token)

    def expand(self, token: Token) -> str:
        prefix, _, local = token.text.partition(":")
        if prefix not in self.prefixes:
            raise syntax_error(
                self.text,
                token.position,
                f"the prefix {prefix}: is not declared (add a PREFIX line for it)",
            )
        if "\\" in local:
            local = _LOCAL_ESCAPE.sub(r"\1", local)
        return self.checked(self.prefixes[prefix] + local, token)

    def checked(self, iri: str, token: Token) -> str:
        if iri[:8].lower().startswith(PRIVATE_SCHEMES):
            raise QueryRefused(
                f"<{iri}> names an extension of a store, not SPARQL 1.1; it is not accepted here",
                operation="extension",
            )
        return iri

    def term(self) -> t.Term:
        token = self.token
        kind = token.kind
        if kind == "var":
            return self.var()
        if kind in ("iri", "pname"):
            return self.iri()
        if kind == "string":
            return self.literal()
        if kind == "number":
            self.advance()
            return t.Number(token.text)
        if kind == "op" and token.text in ("+", "-"):
            following = self.peek()
            if following.kind == "number" and following.position == token.position + 1:
                self.advance()
                self.advance()
                return t.Number(token.text + following.text)
        if kind == "bnode":
            if not self.bnodes_allowed:
                raise self.error("blank nodes are not allowed in DELETE DATA")
            self.advance()
            return t.BNode(token.text[2:])
        if kind == "op" and token.text == "[" and self.peek().text == "]":
            if not self.bnodes_allowed:
                raise self.error("blank nodes are not allowed in DELETE DATA")
            self.advance()
            self.advance()
            return t.BNode(None)
        if kind == "op" and token.text == "(" and self.peek().text == ")":
            self.advance()
            self.advance()
            return t.Nil()
        if kind == "word" and token.text.upper() in ("TRUE", "FALSE"):
            self.advance()
            return t.Boolean(token.text.upper() == "TRUE")
        raise self.error("expected a variable, an IRI, a literal or a blank node")

    def literal(self) -> t.Literal:
        token = self.advance()
        lexical = string_value(token.text)
        if self.token.kind == "langtag":
            return t.Literal(lexical, language=self.advance().text[1:].lower())
        if self.accept_op("^^"):
            return t.Literal(lexical, datatype=self.iri().value)
        return t.Literal(lexical)


def string_value(text: str) -> str:
    body = text[3:-3] if text[:3] in ('"""', "'''") else text[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    index = 0
    while index < len(body):
        character = body[index]
        if character == "\\":
            out.append(_ECHARS[body[index + 1]])
            index += 2
        else:
            out.append(character)
            index += 1
    return "".join(out)
