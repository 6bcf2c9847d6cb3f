"""SPARQL 1.1 Update operations: graph management, data, and DELETE/INSERT … WHERE; quad data
holds no variables, and what is deleted holds no blank nodes."""

from __future__ import annotations

import kgapp.sparqlsyntax.operations as o
import kgapp.sparqlsyntax.tree as t
from kgapp.errors import QueryRefused
from kgapp.sparqlsyntax.patterns import Patterns

UPDATE_WORDS = {"LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "INSERT", "DELETE", "WITH"}


class Updates(Patterns):
    def update(self) -> o.Update:
        update = o.Update([])
        while True:
            self.prologue()
            if self.token.kind == "end":
                break
            update.operations.append(self.operation())
            update.bases.append(self.base)
            if not self.accept_op(";"):
                break
        return update

    def operation(self) -> o.Operation:
        token = self.token
        word = token.text.upper() if token.kind == "word" else ""
        if word in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
            raise QueryRefused(f"{word} is a query, not an update; send it to the query endpoint")
        if word not in UPDATE_WORDS:
            raise self.error("expected an update operation (INSERT, DELETE, LOAD, CLEAR, DROP…)")
        self.advance()
        if word == "LOAD":
            silent = self.accept_word("SILENT")
            source = self.iri()
            into = None
            if self.accept_word("INTO"):
                self.expect_word("GRAPH")
                into = self.iri()
            return o.Load(silent, source, into)
        if word in ("CLEAR", "DROP"):
            silent = self.accept_word("SILENT")
            return o.GraphManagement(word, silent, self.graph_ref_all())
        if word == "CREATE":
            silent = self.accept_word("SILENT")
            self.expect_word("GRAPH")
            return o.GraphManagement(word, silent, self.iri())
        if word in ("ADD", "MOVE", "COPY"):
            silent = self.accept_word("SILENT")
            origin = self.graph_or_default()
            self.expect_word("TO")
            return o.Transfer(word, silent, origin, self.graph_or_default())
        if word in ("INSERT", "DELETE") and self.accept_word("DATA"):
            return o.DataUpdate(f"{word} DATA", self.quad_data(allow_bnodes=word == "INSERT"))
        if word == "DELETE" and self.accept_word("WHERE"):
            saved, self.bnodes_allowed = self.bnodes_allowed, False
            try:
                return o.DeleteWhere(self.quad_pattern())
            finally:
                self.bnodes_allowed = saved
        with_graph = None
        if word == "WITH":
            with_graph = self.iri()
            if self.is_word("DELETE", "INSERT"):
                word = self.advance().text.upper()
            else:
                raise self.error("expected DELETE or INSERT after WITH <graph>")
        delete = insert = None
        if word == "DELETE":
            saved, self.bnodes_allowed = self.bnodes_allowed, False
            try:
                delete = self.quad_pattern()
            finally:
                self.bnodes_allowed = saved
            if self.accept_word("INSERT"):
                insert = self.quad_pattern()
        else:
            insert = self.quad_pattern()
        using = []
        while self.accept_word("USING"):
            named = self.accept_word("NAMED")
            using.append(t.DatasetClause(self.iri(), named))
        self.expect_word("WHERE")
        return o.Modify(self.group(), delete, insert, with_graph, using)

    def graph_ref_all(self) -> t.Iri | str:
        if self.is_word("DEFAULT", "NAMED", "ALL"):
            return self.advance().text.upper()
        self.expect_word("GRAPH")
        return self.iri()

    def graph_or_default(self) -> t.Iri | str:
        if self.accept_word("DEFAULT"):
            return "DEFAULT"
        self.accept_word("GRAPH")
        return self.iri()

    def quad_data(self, allow_bnodes: bool) -> list[o.QuadsBlock]:
        saved = self.variables_allowed, self.bnodes_allowed
        self.variables_allowed, self.bnodes_allowed = False, allow_bnodes
        try:
            return self.quad_pattern()
        finally:
            self.variables_allowed, self.bnodes_allowed = saved

    def quad_pattern(self) -> list[o.QuadsBlock]:
        self.expect_op("{")
        self.enter()
        blocks: list[o.QuadsBlock] = []
        default = self.triples_template(until="}")
        if default:
            blocks.append(o.QuadsBlock(None, default))
        while self.accept_word("GRAPH"):
            name = self.var_or_iri()
            self.expect_op("{")
            blocks.append(o.QuadsBlock(name, self.triples_template(until="}")))
            self.expect_op("}")
            self.accept_op(".")
            more = self.triples_template(until="}")
            if more:
                blocks.append(o.QuadsBlock(None, more))
        self.expect_op("}")
        self.leave()
        return blocks
