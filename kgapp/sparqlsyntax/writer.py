"""A parsed query or update written back as SPARQL 1.1 text that every engine reads one way.

The text holds no comments, no prologue (every IRI is written whole), no codepoint escapes, no
long strings and no prefixed names; keywords are upper-case, every expression is bracketed,
and tokens are separated by single spaces. Whatever the reader's bytes were, what a store gets
is this text, rebuilt from the tree: a lexical trick that another engine would read
differently from us has no way through.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kgapp.errors import QueryRefused
from kgapp.sparqlsyntax import tree as t
from kgapp.sparqlsyntax.parser import too_deep_refused

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


def write(node: t.Query | t.Update) -> str:
    """The text of ``node``."""
    writer = Writer()
    if not isinstance(node, t.Update) and node.base is not None:
        writer.base(node.base)
    with too_deep_refused():
        writer.node(node)
    return " ".join(writer.out)


class Writer:
    """Writes nodes as tokens into ``out``; a subclass may write some nodes its own way."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self._by_type: dict[type, Callable[[Any], None]] = {
            t.Iri: self.iri,
            t.Var: self.var,
            t.BNode: self.bnode,
            t.Literal: self.literal,
            t.Number: self.number,
            t.Boolean: self.boolean,
            t.Nil: self.nil,
            t.Undef: self.undef,
            t.Collection: self.collection,
            t.BNodeList: self.bnode_list,
            t.PathAlt: self.path_alt,
            t.PathSeq: self.path_seq,
            t.PathInv: self.path_inv,
            t.PathMod: self.path_mod,
            t.PathNeg: self.path_neg,
            t.Chain: self.chain,
            t.Binary: self.binary,
            t.Unary: self.unary,
            t.In: self.in_,
            t.Call: self.call,
            t.FunctionCall: self.function_call,
            t.Exists: self.exists,
            t.Group: self.group,
            t.TriplesBlock: self.triples_block,
            t.Filter: self.filter,
            t.OptionalPattern: self.optional,
            t.Minus: self.minus,
            t.Union_: self.union,
            t.GraphPattern: self.graph_pattern,
            t.Bind: self.bind,
            t.Values: self.values,
            t.Select: self.select,
            t.Construct: self.construct,
            t.Describe: self.describe,
            t.Ask: self.ask,
            t.Update: self.update,
            t.Load: self.load,
            t.GraphManagement: self.graph_management,
            t.Transfer: self.transfer,
            t.DataUpdate: self.data_update,
            t.DeleteWhere: self.delete_where,
            t.Modify: self.modify,
        }

    def node(self, node: Any) -> None:
        self._by_type[type(node)](node)

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

    # Queries ------------------------------------------------------------------------------------
    def select(self, node: t.Select) -> None:
        self.out.append("SELECT")
        if node.modifier:
            self.out.append(node.modifier)
        if node.projection is None:
            self.out.append("*")
        for projection in node.projection or ():
            if projection.expression is None:
                self.var(projection.variable)
            else:
                self.out.append("(")
                self.node(projection.expression)
                self.out.append("AS")
                self.var(projection.variable)
                self.out.append(")")
        self.dataset(node.dataset)
        self.out.append("WHERE")
        self.group(node.where)
        self.modifiers(node.modifiers)
        if node.values is not None:
            self.values(node.values)

    def construct(self, node: t.Construct) -> None:
        self.out.append("CONSTRUCT")
        if node.template is not None:
            self.template(node.template)
        self.dataset(node.dataset)
        self.out.append("WHERE")
        self.group(node.where)
        self.modifiers(node.modifiers)
        if node.values is not None:
            self.values(node.values)

    def template(self, triples: list[t.Triples]) -> None:
        self.out.append("{")
        for item in triples:
            self.triples(item)
            self.out.append(".")
        self.out.append("}")

    def describe(self, node: t.Describe) -> None:
        self.out.append("DESCRIBE")
        if node.targets is None:
            self.out.append("*")
        for target in node.targets or ():
            self.node(target)
        self.dataset(node.dataset)
        if node.where is not None:
            self.out.append("WHERE")
            self.group(node.where)
        self.modifiers(node.modifiers)
        if node.values is not None:
            self.values(node.values)

    def ask(self, node: t.Ask) -> None:
        self.out.append("ASK")
        self.dataset(node.dataset)
        self.out.append("WHERE")
        self.group(node.where)
        self.modifiers(node.modifiers)
        if node.values is not None:
            self.values(node.values)

    def dataset(self, clauses: list[t.DatasetClause], keyword: str = "FROM") -> None:
        for clause in clauses:
            self.out.append(keyword)
            if clause.named:
                self.out.append("NAMED")
            self.iri(clause.iri)

    def modifiers(self, node: t.Modifiers) -> None:
        if node.group_by:
            self.out += ["GROUP", "BY"]
            for condition in node.group_by:
                if isinstance(condition.expression, t.Var) and condition.variable is None:
                    self.var(condition.expression)
                    continue
                self.out.append("(")
                self.node(condition.expression)
                if condition.variable is not None:
                    self.out.append("AS")
                    self.var(condition.variable)
                self.out.append(")")
        if node.having:
            self.out.append("HAVING")
            for expression in node.having:
                self.bracketed(expression)
        if node.order_by:
            self.out += ["ORDER", "BY"]
            for order in node.order_by:
                if order.direction:
                    self.out.append(order.direction)
                    self.bracketed(order.expression)
                elif isinstance(order.expression, t.Var):
                    self.var(order.expression)
                else:
                    self.bracketed(order.expression)
        if node.limit is not None:
            self.out += ["LIMIT", str(node.limit)]
        if node.offset is not None:
            self.out += ["OFFSET", str(node.offset)]

    # Updates ------------------------------------------------------------------------------------
    def base(self, iri: str) -> None:
        self.out.append("BASE")
        self.iri(t.Iri(iri))

    def update(self, node: t.Update) -> None:
        """Operations joined by ``;``, a base written only where it changes (the grammar allows
        a prologue before every operation; some engines read one at the start only)."""
        current = None
        for index, operation in enumerate(node.operations):
            if index:
                self.out.append(";")
            base = node.bases[index] if index < len(node.bases) else None
            if base is not None and base != current:
                self.base(base)
                current = base
            self.node(operation)

    def _silent(self, operation: str, silent: bool) -> None:
        self.out.append(operation)
        if silent:
            self.out.append("SILENT")

    def _graph_ref(self, target: t.Iri | str) -> None:
        if isinstance(target, str):
            self.out.append(target)
        else:
            self.out.append("GRAPH")
            self.iri(target)

    def load(self, node: t.Load) -> None:
        self._silent("LOAD", node.silent)
        self.iri(node.source)
        if node.into is not None:
            self.out += ["INTO", "GRAPH"]
            self.iri(node.into)

    def graph_management(self, node: t.GraphManagement) -> None:
        self._silent(node.operation, node.silent)
        self._graph_ref(node.target)

    def transfer(self, node: t.Transfer) -> None:
        self._silent(node.operation, node.silent)
        self._graph_ref(node.source)
        self.out.append("TO")
        self._graph_ref(node.destination)

    def quads(self, blocks: list[t.QuadsBlock]) -> None:
        self.out.append("{")
        for block in blocks:
            if block.graph is not None:
                self.out.append("GRAPH")
                self.node(block.graph)
                self.out.append("{")
            for item in block.triples:
                self.triples(item)
                self.out.append(".")
            if block.graph is not None:
                self.out.append("}")
        self.out.append("}")

    def data_update(self, node: t.DataUpdate) -> None:
        self.out.append(node.operation)
        self.quads(node.quads)

    def delete_where(self, node: t.DeleteWhere) -> None:
        self.out += ["DELETE", "WHERE"]
        self.quads(node.quads)

    def modify(self, node: t.Modify) -> None:
        if node.with_graph is not None:
            self.out.append("WITH")
            self.iri(node.with_graph)
        if node.delete is not None:
            self.out.append("DELETE")
            self.quads(node.delete)
        if node.insert is not None:
            self.out.append("INSERT")
            self.quads(node.insert)
        self.dataset(node.using, keyword="USING")
        self.out.append("WHERE")
        self.group(node.where)


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
