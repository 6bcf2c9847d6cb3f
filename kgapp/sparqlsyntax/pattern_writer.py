"""Writing the parts of a query a pattern is made of — terms, triples, paths, expressions and
group patterns — as tokens: every IRI whole, every string re-escaped, every expression bracketed.
:mod:`kgapp.sparqlsyntax.writer` writes the query forms and updates on top of it."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import kgapp.sparqlsyntax.tree as t
from kgapp.errors import QueryRefused

# Built-in names as the specification spells them.
SPELLING = {
    "SAMETERM": "sameTerm",
    "ISIRI": "isIRI",
    "ISURI": "isURI",
    "ISBLANK": "isBLANK",
    "ISLITERAL": "isLITERAL",
    "ISNUMERIC": "isNUMERIC",
}
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_STRING_TABLE = str.maketrans(_STRING_ESCAPES)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_IRI_FORBIDDEN = set('<>"{}|^`\\') | {chr(c) for c in range(0x21)}


class PatternWriter:
    """Writes nodes as tokens into ``out``; a subclass may write some nodes its own way."""

    METHODS: ClassVar[dict[type, str]] = {
        t.Iri: "iri", t.Var: "var", t.BNode: "bnode", t.Literal: "literal", t.Number: "number",
        t.Boolean: "boolean", t.Nil: "nil", t.Undef: "undef", t.Collection: "collection",
        t.BNodeList: "bnode_list", t.PathAlt: "path_alt", t.PathSeq: "path_seq", t.PathInv: "path_inv",
        t.PathMod: "path_mod", t.PathNeg: "path_neg", t.Chain: "chain", t.Binary: "binary",
        t.Unary: "unary", t.In: "in_", t.Call: "call", t.FunctionCall: "function_call",
        t.Exists: "exists", t.Group: "group", t.TriplesBlock: "triples_block", t.Filter: "filter",
        t.OptionalPattern: "optional", t.Minus: "minus", t.Union_: "union",
        t.GraphPattern: "graph_pattern", t.Bind: "bind", t.Values: "values", t.Select: "select",
    }  # fmt: skip

    def __init__(self) -> None:
        self.out: list[str] = []

    def node(self, node: Any) -> None:
        getattr(self, self.METHODS[type(node)])(node)

    def select(self, node: t.Select) -> None:
        """A subquery: written by :class:`kgapp.sparqlsyntax.writer.Writer`."""
        raise NotImplementedError

    # Terms --------------------------------------------------------------------------------------
    def iri(self, node: t.Iri) -> None:
        if any(c in _IRI_FORBIDDEN for c in node.value):
            raise QueryRefused(f"the IRI {node.value!r} holds a character an IRI cannot hold")
        self.out.append(f"<{node.value}>")

    def var(self, node: t.Var) -> None:
        self.out.append("?" + node.name)

    def bnode(self, node: t.BNode) -> None:
        self.out.append("[]" if node.label is None else "_:" + node.label)

    def literal(self, node: t.Literal) -> None:
        text = string(node.lexical)
        if node.language is not None:
            text += "@" + node.language
        elif node.datatype is not None:
            self.out.append(text + "^^")
            self.iri(t.Iri(node.datatype))
            return
        self.out.append(text)

    def number(self, node: t.Number) -> None:
        self.out.append(node.text)

    def boolean(self, node: t.Boolean) -> None:
        self.out.append("true" if node.value else "false")

    def nil(self, node: t.Nil) -> None:
        self.out.append("()")

    def undef(self, node: t.Undef) -> None:
        self.out.append("UNDEF")

    # Triples and paths --------------------------------------------------------------------------
    def triples(self, node: t.Triples) -> None:
        self.node(node.subject)
        self.properties(node.properties)

    def properties(self, properties: list[t.Property]) -> None:
        for index, prop in enumerate(properties):
            if index:
                self.out.append(";")
            self.node(prop.verb)
            for position, obj in enumerate(prop.objects):
                if position:
                    self.out.append(",")
                self.node(obj)

    def collection(self, node: t.Collection) -> None:
        self.out.append("(")
        for item in node.items:
            self.node(item)
        self.out.append(")")

    def bnode_list(self, node: t.BNodeList) -> None:
        self.out.append("[")
        self.properties(node.properties)
        self.out.append("]")

    def path_alt(self, node: t.PathAlt) -> None:
        self._joined(node.options, "|")

    def path_seq(self, node: t.PathSeq) -> None:
        self._joined(node.steps, "/")

    def _joined(self, paths: list[t.Path], separator: str) -> None:
        self.out.append("(")
        for index, path in enumerate(paths):
            if index:
                self.out.append(separator)
            self.node(path)
        self.out.append(")")

    def _primary_path(self, path: t.Path) -> None:
        if isinstance(path, t.Iri | t.PathAlt | t.PathSeq):
            self.node(path)  # an IRI, or already bracketed
        else:
            self.out.append("(")
            self.node(path)
            self.out.append(")")

    def path_inv(self, node: t.PathInv) -> None:
        self.out.append("^")
        self._primary_path(node.path)

    def path_mod(self, node: t.PathMod) -> None:
        self._primary_path(node.path)
        self.out.append(node.modifier)

    def path_neg(self, node: t.PathNeg) -> None:
        self.out.append("!")
        self.out.append("(")
        for index, (inverse, iri) in enumerate(node.members):
            if index:
                self.out.append("|")
            if inverse:
                self.out.append("^")
            self.iri(iri)
        self.out.append(")")

    # Expressions --------------------------------------------------------------------------------
    def expression(self, node: t.Expression) -> None:
        self.node(node)

    def chain(self, node: t.Chain) -> None:
        self.out.append("(")
        self.node(node.first)
        for operator, operand in node.rest:
            self.out.append(operator)
            self.node(operand)
        self.out.append(")")

    def binary(self, node: t.Binary) -> None:
        self.out.append("(")
        self.node(node.left)
        self.out.append(node.operator)
        self.node(node.right)
        self.out.append(")")

    def unary(self, node: t.Unary) -> None:
        self.out.append("(")
        self.out.append(node.operator)
        self.out.append("(")
        self.node(node.operand)
        self.out.append(")")
        self.out.append(")")

    def in_(self, node: t.In) -> None:
        self.out.append("(")
        self.node(node.operand)
        self.out.append("NOT IN" if node.negated else "IN")
        self._arguments("(", node.items)
        self.out.append(")")

    def _arguments(self, opening: str, arguments: list[t.Expression], distinct: bool = False) -> None:
        """Arguments in brackets; a function's name is glued to its bracket (``COALESCE(``), as
        some engines (Oxigraph among them) read a name and a spaced bracket as no call."""
        self.out.append(opening)
        if distinct:
            self.out.append("DISTINCT")
        for index, argument in enumerate(arguments):
            if index:
                self.out.append(",")
            self.node(argument)
        self.out.append(")")

    def call(self, node: t.Call) -> None:
        opening = SPELLING.get(node.name, node.name) + "("
        if node.star:
            self.out += [opening, "DISTINCT", "*", ")"] if node.distinct else [opening, "*", ")"]
        elif node.separator is None:
            self._arguments(opening, node.arguments, node.distinct)
        else:
            self.out.append(opening)
            if node.distinct:
                self.out.append("DISTINCT")
            self.node(node.arguments[0])
            self.out += [";", "SEPARATOR", "=", string(node.separator), ")"]

    def function_call(self, node: t.FunctionCall) -> None:
        self.iri(node.iri)
        self._arguments(self.out.pop() + "(", node.arguments, node.distinct)

    def exists(self, node: t.Exists) -> None:
        self.out.append("NOT EXISTS" if node.negated else "EXISTS")
        self.group(node.pattern)

    def bracketed(self, node: t.Expression) -> None:
        """An expression where the grammar wants a constraint: brackets make any one valid."""
        self.out.append("(")
        self.node(node)
        self.out.append(")")

    # Patterns -----------------------------------------------------------------------------------
    def group(self, node: t.Group) -> None:
        self.out.append("{")
        if node.subselect is not None:
            self.select(node.subselect)
        for element in node.elements:
            self.node(element)
        self.out.append("}")

    def triples_block(self, node: t.TriplesBlock) -> None:
        for triples in node.triples:
            self.triples(triples)
            self.out.append(".")

    def filter(self, node: t.Filter) -> None:
        self.out.append("FILTER")
        self.bracketed(node.expression)

    def optional(self, node: t.OptionalPattern) -> None:
        self.out.append("OPTIONAL")
        self.group(node.pattern)

    def minus(self, node: t.Minus) -> None:
        self.out.append("MINUS")
        self.group(node.pattern)

    def union(self, node: t.Union_) -> None:
        for index, pattern in enumerate(node.patterns):
            if index:
                self.out.append("UNION")
            self.group(pattern)

    def graph_pattern(self, node: t.GraphPattern) -> None:
        self.out.append("GRAPH")
        self.node(node.name)
        self.group(node.pattern)

    def bind(self, node: t.Bind) -> None:
        self.out.append("BIND")
        self.out.append("(")
        self.node(node.expression)
        self.out.append("AS")
        self.var(node.variable)
        self.out.append(")")

    def values(self, node: t.Values) -> None:
        self.out.append("VALUES")
        self.out.append("(")
        for variable in node.variables:
            self.var(variable)
        self.out.append(")")
        self.out.append("{")
        for row in node.rows:
            self.out.append("(")
            for value in row:
                self.node(value)
            self.out.append(")")
        self.out.append("}")


def string(value: str) -> str:
    """A string literal's text: double quotes, the grammar's escapes, no control character raw."""
    escaped = value.translate(_STRING_TABLE)
    control = _CONTROL.search(escaped)
    if control:
        raise QueryRefused(
            f"a string holds the control character U+{ord(control.group()):04X}, which SPARQL "
            "strings cannot escape; it is not sent to the store"
        )
    return f'"{escaped}"'
