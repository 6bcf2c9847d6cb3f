"""Expressions of the SPARQL grammar: operators by precedence climbing (so long chains and deep
brackets cost few frames), built-in calls and aggregates checked for their arity, and the only
functions named by IRI that SPARQL 1.1 defines (the XSD casts); any other is refused."""

from __future__ import annotations

import kgapp.sparqlsyntax.tree as t
from kgapp.errors import QueryRefused
from kgapp.namespaces import XSD
from kgapp.sparqlsyntax.cursor import Cursor, string_value
from kgapp.sparqlsyntax.lexer import Token

# name → (fewest, most) arguments; most None: any number (an expression list)
BUILTINS: dict[str, tuple[int, int | None]] = {
    "STR": (1, 1), "LANG": (1, 1), "LANGMATCHES": (2, 2), "DATATYPE": (1, 1), "BOUND": (1, 1),
    "IRI": (1, 1), "URI": (1, 1), "BNODE": (0, 1), "RAND": (0, 0), "ABS": (1, 1), "CEIL": (1, 1),
    "FLOOR": (1, 1), "ROUND": (1, 1), "CONCAT": (0, None), "SUBSTR": (2, 3), "STRLEN": (1, 1),
    "REPLACE": (3, 4), "UCASE": (1, 1), "LCASE": (1, 1), "ENCODE_FOR_URI": (1, 1),
    "CONTAINS": (2, 2), "STRSTARTS": (2, 2), "STRENDS": (2, 2), "STRBEFORE": (2, 2),
    "STRAFTER": (2, 2), "YEAR": (1, 1), "MONTH": (1, 1), "DAY": (1, 1), "HOURS": (1, 1),
    "MINUTES": (1, 1), "SECONDS": (1, 1), "TIMEZONE": (1, 1), "TZ": (1, 1), "NOW": (0, 0),
    "UUID": (0, 0), "STRUUID": (0, 0), "MD5": (1, 1), "SHA1": (1, 1), "SHA256": (1, 1),
    "SHA384": (1, 1), "SHA512": (1, 1), "COALESCE": (0, None), "IF": (3, 3), "STRLANG": (2, 2),
    "STRDT": (2, 2), "SAMETERM": (2, 2), "ISIRI": (1, 1), "ISURI": (1, 1), "ISBLANK": (1, 1),
    "ISLITERAL": (1, 1), "ISNUMERIC": (1, 1), "REGEX": (2, 3),
}  # fmt: skip
LIST_ARGUMENTS = {"CONCAT", "COALESCE"}
AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}
# The only functions named by IRI that SPARQL 1.1 defines: the XSD casts (§17.5).
CAST_FUNCTIONS = {
    XSD + name for name in ("boolean", "double", "float", "decimal", "integer", "dateTime", "string")
}
RELATIONAL = 2
_OPERATOR_LEVELS = {
    "||": 0, "&&": 1, "=": RELATIONAL, "!=": RELATIONAL, "<": RELATIONAL, ">": RELATIONAL,
    "<=": RELATIONAL, ">=": RELATIONAL, "+": 3, "-": 3, "*": 4, "/": 4,
}  # fmt: skip


class Expressions(Cursor):
    def group(self) -> t.Group:
        """A group pattern (``EXISTS { … }``): read by :class:`kgapp.sparqlsyntax.patterns.Patterns`."""
        raise NotImplementedError

    # Expressions --------------------------------------------------------------------------------
    def starts_constraint(self) -> bool:
        return self.is_op("(") or self.starts_call()

    def starts_call(self) -> bool:
        token = self.token
        if token.kind in ("iri", "pname"):
            return True
        if token.kind != "word":
            return False
        word = token.text.upper()
        return word in BUILTINS or word in AGGREGATES or word in ("EXISTS", "NOT")

    def constraint(self, aggregates: bool = False) -> t.Expression:
        if self.is_op("("):
            return self.bracketted(aggregates)
        if not self.starts_call():
            raise self.error("expected '(', a function or a built-in call")
        saved, self.aggregates_allowed = self.aggregates_allowed, aggregates or self.aggregates_allowed
        try:
            return self.primary()
        finally:
            self.aggregates_allowed = saved

    def bracketted(self, aggregates: bool = False) -> t.Expression:
        self.expect_op("(")
        self.enter()
        expression = self.expression(aggregates)
        self.expect_op(")")
        self.leave()
        return expression

    def expression(self, aggregates: bool = False) -> t.Expression:
        saved, self.aggregates_allowed = self.aggregates_allowed, aggregates or self.aggregates_allowed
        try:
            return self.binary(0)
        finally:
            self.aggregates_allowed = saved

    def binary(self, lowest: int) -> t.Expression:
        """Operators of precedence ``lowest`` and up, by precedence climbing: one call per level
        of precedence actually used, so long chains and deep brackets cost few frames."""
        left = self.unary()
        while True:
            level = self.operator_level()
            if level is None or level < lowest:
                return left
            if level == RELATIONAL:
                left = self.relation(left)
                if self.operator_level() == RELATIONAL:
                    raise self.error("comparisons do not chain: bracket one of them")
                continue
            rest = []
            while self.operator_level() == level:
                operator = self.advance().text
                rest.append((operator, self.binary(level + 1)))
            left = t.Chain(left, rest)

    def operator_level(self) -> int | None:
        token = self.token
        if token.kind == "op":
            return _OPERATOR_LEVELS.get(token.text)
        if token.kind == "word":
            word = token.text.upper()
            if word == "IN" or (word == "NOT" and self.peek().text.upper() == "IN"):
                return RELATIONAL
        return None

    def relation(self, left: t.Expression) -> t.Expression:
        if self.accept_word("IN"):
            return t.In(left, self.expression_list(), negated=False)
        if self.accept_word("NOT"):
            self.expect_word("IN")
            return t.In(left, self.expression_list(), negated=True)
        operator = self.advance().text
        return t.Binary(operator, left, self.binary(RELATIONAL + 1))

    def unary(self) -> t.Expression:
        if self.is_op("!", "+", "-"):
            operator = self.advance().text
            return t.Unary(operator, self.primary())
        return self.primary()

    def primary(self) -> t.Expression:
        token = self.token
        kind = token.kind
        if kind == "op" and token.text == "(":
            return self.bracketted()
        if kind in ("iri", "pname"):
            iri = self.iri()
            if self.is_op("("):
                return self.function_call(iri, token)
            return iri
        if kind == "word":
            word = token.text.upper()
            if word in ("TRUE", "FALSE"):
                return self.term()
            if word in AGGREGATES:
                return self.aggregate()
            if word == "EXISTS":
                self.advance()
                return t.Exists(self.group(), negated=False)
            if word == "NOT":
                self.advance()
                self.expect_word("EXISTS")
                return t.Exists(self.group(), negated=True)
            if word in BUILTINS:
                return self.builtin()
            raise self.error("expected an expression")
        if kind in ("var", "string", "number"):
            return self.term()
        raise self.error("expected an expression")

    def function_call(self, iri: t.Iri, token: Token) -> t.FunctionCall:
        if iri.value not in CAST_FUNCTIONS:
            raise QueryRefused(
                f"<{iri.value}> is not a SPARQL 1.1 function: functions of a store's own, or of "
                "another vocabulary, are not run here (the XSD casts are)",
                operation="extension",
            )
        self.expect_op("(")
        self.enter()
        distinct = self.accept_word("DISTINCT")
        arguments = [self.expression()]
        while self.accept_op(","):
            arguments.append(self.expression())
        self.expect_op(")")
        self.leave()
        return t.FunctionCall(iri, arguments, distinct)

    def builtin(self) -> t.Call:
        token = self.advance()
        name = token.text.upper()
        fewest, most = BUILTINS[name]
        if name == "BOUND":
            self.expect_op("(")
            variable = self.var()
            self.expect_op(")")
            return t.Call(name, [variable])
        arguments = self.expression_list()
        if len(arguments) < fewest or (most is not None and len(arguments) > most):
            wanted = str(fewest) if fewest == most else f"{fewest} to {most}"
            raise self.error(f"{token.text} takes {wanted} argument(s), not {len(arguments)}", token)
        return t.Call(name, arguments)

    def expression_list(self) -> list[t.Expression]:
        self.expect_op("(")
        if self.accept_op(")"):
            return []
        self.enter()
        items = [self.expression()]
        while self.accept_op(","):
            items.append(self.expression())
        self.expect_op(")")
        self.leave()
        return items

    def aggregate(self) -> t.Call:
        token = self.advance()
        name = token.text.upper()
        if not self.aggregates_allowed:
            raise self.error(f"{name} is an aggregate, allowed only in SELECT, HAVING and ORDER BY", token)
        self.expect_op("(")
        self.enter()
        distinct = self.accept_word("DISTINCT")
        saved, self.aggregates_allowed = self.aggregates_allowed, False
        try:
            if name == "COUNT" and self.accept_op("*"):
                call = t.Call(name, [], distinct=distinct, star=True)
            else:
                call = t.Call(name, [self.binary(0)], distinct=distinct)
            if name == "GROUP_CONCAT" and self.accept_op(";"):
                self.expect_word("SEPARATOR")
                self.expect_op("=")
                if self.token.kind != "string":
                    raise self.error("expected a string after SEPARATOR =")
                call.separator = string_value(self.advance().text)
        finally:
            self.aggregates_allowed = saved
        self.expect_op(")")
        self.leave()
        return call
