"""A recursive-descent parser for the SPARQL 1.1 Query and Update grammars (§19.8).

It builds the tree of :mod:`kgapp.sparqlsyntax.tree` in time linear in the number of tokens,
with the nesting depth bounded (so deep input is refused, not a stack overflow) and a deadline
checked as it reads. What this endpoint never runs is refused while parsing: ``SERVICE``,
functions that are not SPARQL's own (a store's extensions, such as Virtuoso's ``bif:``), and
IRIs in a store's private schemes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

import kgapp.sparqlsyntax.operations as o
import kgapp.sparqlsyntax.tree as t
from kgapp.errors import QueryRefused
from kgapp.sparqlsyntax.cursor import nesting_refused
from kgapp.sparqlsyntax.updates import UPDATE_WORDS, Updates


def parse_query(
    text: str,
    prefixes: Mapping[str, str] | None = None,
    base: str | None = None,
    deadline: Callable[[], None] | None = None,
) -> o.Query:
    """The query ``text`` as a tree; ``prefixes`` are predeclared, relative IRIs resolve against
    ``base``. ``deadline`` is called now and then and raises when time is up."""
    parser = Parser(text, prefixes or {}, base, deadline)
    with too_deep_refused():
        query = parser.query()
    parser.expect_end()
    return query


def parse_update(
    text: str,
    prefixes: Mapping[str, str] | None = None,
    base: str | None = None,
    deadline: Callable[[], None] | None = None,
) -> o.Update:
    parser = Parser(text, prefixes or {}, base, deadline)
    with too_deep_refused():
        update = parser.update()
    parser.expect_end()
    return update


@contextmanager
def too_deep_refused() -> Iterator[None]:
    """Python's stack, should a caller already be deep in it, as the bound it is: a refusal."""
    try:
        yield
    except RecursionError:
        raise nesting_refused() from None


class Parser(Updates):
    """The query forms and their solution modifiers, on the productions below them."""

    # Queries ------------------------------------------------------------------------------------
    def query(self) -> o.Query:
        self.prologue()
        if self.is_word("SELECT"):
            query: o.Query = self.select(subquery=False)
        elif self.accept_word("CONSTRUCT"):
            query = self.construct()
        elif self.accept_word("DESCRIBE"):
            query = self.describe()
        elif self.accept_word("ASK"):
            dataset = self.dataset_clauses()
            query = o.Ask(self.where_clause(), dataset, self.modifiers())
        elif self.is_word(*UPDATE_WORDS):
            raise QueryRefused(
                f"{self.token.text.upper()} is a SPARQL Update operation, not a query; "
                "send updates to the update endpoint",
                operation=self.token.text.upper(),
            )
        else:
            raise self.error("expected SELECT, CONSTRUCT, DESCRIBE or ASK")
        query.values = self.values_clause()
        query.base = self.base
        return query

    def select(self, subquery: bool) -> t.Select:
        self.expect_word("SELECT")
        modifier = None
        if self.is_word("DISTINCT", "REDUCED"):
            modifier = self.advance().text.upper()
        projection: list[t.Projection] | None = []
        if self.accept_op("*"):
            projection = None
        else:
            assert projection is not None
            while True:
                if self.token.kind == "var":
                    projection.append(t.Projection(self.var()))
                elif self.is_op("("):
                    self.advance()
                    self.enter()
                    expression = self.expression(aggregates=True)
                    self.expect_word("AS")
                    projection.append(t.Projection(self.var(), expression))
                    self.expect_op(")")
                    self.leave()
                else:
                    break
            if not projection:
                raise self.error("expected '*', a variable or '(expression AS ?variable)' after SELECT")
        dataset = [] if subquery else self.dataset_clauses()
        where = self.where_clause()
        select = t.Select(projection, where, modifier, dataset, self.modifiers())
        if subquery:
            select.values = self.values_clause()
        return select

    def construct(self) -> o.Construct:
        if self.is_op("{"):
            template = self.construct_template()
            dataset = self.dataset_clauses()
            return o.Construct(template, self.where_clause(), dataset, self.modifiers())
        dataset = self.dataset_clauses()
        self.expect_word("WHERE")
        self.expect_op("{")
        triples = self.triples_template(until="}")
        self.expect_op("}")
        where = t.Group([t.TriplesBlock(triples)] if triples else [])
        return o.Construct(None, where, dataset, self.modifiers())

    def construct_template(self) -> list[t.Triples]:
        self.expect_op("{")
        self.enter()
        triples = self.triples_template(until="}")
        self.expect_op("}")
        self.leave()
        return triples

    def describe(self) -> o.Describe:
        targets: list[t.Iri | t.Var] | None = []
        if self.accept_op("*"):
            targets = None
        else:
            assert targets is not None
            while self.token.kind in ("var", "iri", "pname"):
                targets.append(self.var_or_iri())
            if not targets:
                raise self.error("expected '*', a variable or an IRI after DESCRIBE")
        dataset = self.dataset_clauses()
        where = self.where_clause() if self.is_word("WHERE") or self.is_op("{") else None
        return o.Describe(targets, where, dataset, self.modifiers())

    def dataset_clauses(self) -> list[t.DatasetClause]:
        clauses = []
        while self.accept_word("FROM"):
            named = self.accept_word("NAMED")
            clauses.append(t.DatasetClause(self.iri(), named))
        return clauses

    def where_clause(self) -> t.Group:
        self.accept_word("WHERE")
        return self.group()

    def modifiers(self) -> t.Modifiers:
        modifiers = t.Modifiers()
        if self.is_word("GROUP"):
            self.advance()
            self.expect_word("BY")
            while (group := self.group_condition()) is not None:
                modifiers.group_by.append(group)
            if not modifiers.group_by:
                raise self.error("expected a condition after GROUP BY")
        if self.accept_word("HAVING"):
            while self.starts_constraint():
                modifiers.having.append(self.constraint(aggregates=True))
            if not modifiers.having:
                raise self.error("expected a condition after HAVING")
        if self.is_word("ORDER"):
            self.advance()
            self.expect_word("BY")
            while (order := self.order_condition()) is not None:
                modifiers.order_by.append(order)
            if not modifiers.order_by:
                raise self.error("expected a condition after ORDER BY")
        self.limit_offset(modifiers)
        return modifiers

    def limit_offset(self, modifiers: t.Modifiers) -> None:
        for _ in range(2):
            if self.accept_word("LIMIT"):
                if modifiers.limit is not None:
                    raise self.error("LIMIT is given twice")
                modifiers.limit = self.integer()
            elif self.accept_word("OFFSET"):
                if modifiers.offset is not None:
                    raise self.error("OFFSET is given twice")
                modifiers.offset = self.integer()

    def group_condition(self) -> t.GroupCondition | None:
        if self.token.kind == "var":
            return t.GroupCondition(self.var())
        if self.is_op("("):
            self.advance()
            self.enter()
            expression = self.expression()
            variable = self.var() if self.accept_word("AS") else None
            self.expect_op(")")
            self.leave()
            return t.GroupCondition(expression, variable)
        if self.starts_call():
            return t.GroupCondition(self.primary())
        return None

    def order_condition(self) -> t.OrderCondition | None:
        if self.is_word("ASC", "DESC"):
            direction = self.advance().text.upper()
            return t.OrderCondition(self.bracketted(aggregates=True), direction)
        if self.token.kind == "var":
            return t.OrderCondition(self.var())
        if self.starts_constraint():
            return t.OrderCondition(self.constraint(aggregates=True))
        return None
