"""A parsed query or update written back as SPARQL 1.1 text that every engine reads one way.

The text holds no comments, no prologue (every IRI is written whole), no codepoint escapes, no
long strings and no prefixed names; keywords are upper-case, every expression is bracketed,
and tokens are separated by single spaces. Whatever the reader's bytes were, what a store gets
is this text, rebuilt from the tree: a lexical trick that another engine would read
differently from us has no way through.
"""

from __future__ import annotations

from typing import ClassVar

import kgapp.sparqlsyntax.operations as o
import kgapp.sparqlsyntax.tree as t
from kgapp.sparqlsyntax.parser import too_deep_refused
from kgapp.sparqlsyntax.pattern_writer import SPELLING, PatternWriter, string

__all__ = ["SPELLING", "Writer", "string", "write"]


def write(node: o.Query | o.Update) -> str:
    """The text of ``node``."""
    writer = Writer()
    if not isinstance(node, o.Update) and node.base is not None:
        writer.base(node.base)
    with too_deep_refused():
        writer.node(node)
    return " ".join(writer.out)


class Writer(PatternWriter):
    """Writes whole queries and updates."""

    METHODS: ClassVar[dict[type, str]] = PatternWriter.METHODS | {
        o.Construct: "construct", o.Describe: "describe", o.Ask: "ask", o.Update: "update",
        o.Load: "load", o.GraphManagement: "graph_management", o.Transfer: "transfer",
        o.DataUpdate: "data_update", o.DeleteWhere: "delete_where", o.Modify: "modify",
    }  # fmt: skip

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

    def construct(self, node: o.Construct) -> None:
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

    def describe(self, node: o.Describe) -> None:
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

    def ask(self, node: o.Ask) -> None:
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

    def update(self, node: o.Update) -> None:
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

    def load(self, node: o.Load) -> None:
        self._silent("LOAD", node.silent)
        self.iri(node.source)
        if node.into is not None:
            self.out += ["INTO", "GRAPH"]
            self.iri(node.into)

    def graph_management(self, node: o.GraphManagement) -> None:
        self._silent(node.operation, node.silent)
        self._graph_ref(node.target)

    def transfer(self, node: o.Transfer) -> None:
        self._silent(node.operation, node.silent)
        self._graph_ref(node.source)
        self.out.append("TO")
        self._graph_ref(node.destination)

    def quads(self, blocks: list[o.QuadsBlock]) -> None:
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

    def data_update(self, node: o.DataUpdate) -> None:
        self.out.append(node.operation)
        self.quads(node.quads)

    def delete_where(self, node: o.DeleteWhere) -> None:
        self.out += ["DELETE", "WHERE"]
        self.quads(node.quads)

    def modify(self, node: o.Modify) -> None:
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
