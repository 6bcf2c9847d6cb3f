"""Graph patterns of the SPARQL grammar: groups, triples with their property lists, collections
and blank node lists, property paths, and inline data (``VALUES``)."""

from __future__ import annotations

import kgapp.sparqlsyntax.tree as t
from kgapp.errors import QueryRefused
from kgapp.namespaces import RDF_TYPE
from kgapp.sparqlsyntax.expressions import Expressions

_TRIPLE_START = {"var", "iri", "pname", "string", "number", "bnode"}


class Patterns(Expressions):
    def select(self, subquery: bool) -> t.Select:
        """A subquery: read by :class:`kgapp.sparqlsyntax.parser.Parser`."""
        raise NotImplementedError

    def values_clause(self) -> t.Values | None:
        if self.accept_word("VALUES"):
            return self.data_block()
        return None

    def data_block(self) -> t.Values:
        if self.token.kind == "var":
            variable = self.var()
            self.expect_op("{")
            rows: list[list[t.Term | t.Undef]] = []
            while not self.is_op("}"):
                rows.append([self.data_value()])
            self.advance()
            return t.Values([variable], rows)
        self.expect_op("(")
        variables = []
        while self.token.kind == "var":
            variables.append(self.var())
        self.expect_op(")")
        self.expect_op("{")
        rows = []
        while self.accept_op("("):
            row: list[t.Term | t.Undef] = []
            while not self.is_op(")"):
                row.append(self.data_value())
            self.advance()
            if len(row) != len(variables):
                raise self.error(f"a row of VALUES has {len(row)} values for {len(variables)} variables")
            rows.append(row)
        self.expect_op("}")
        return t.Values(variables, rows)

    def data_value(self) -> t.Term | t.Undef:
        if self.accept_word("UNDEF"):
            return t.Undef()
        token = self.token
        if token.kind in ("iri", "pname", "string", "number") or self.is_word("TRUE", "FALSE"):
            return self.term()
        if self.is_op("+", "-") and self.peek().kind == "number":
            return self.term()
        raise self.error("expected an IRI, a literal or UNDEF")

    # Group patterns ---------------------------------------------------------------------------
    def group(self) -> t.Group:
        self.expect_op("{")
        self.enter()
        if self.is_word("SELECT"):
            group = t.Group([], self.select(subquery=True))
        else:
            group = t.Group(self.group_elements())
        self.expect_op("}")
        self.leave()
        return group

    def group_elements(self) -> list[t.Element]:
        elements: list[t.Element] = []
        while True:
            if self.starts_triples():
                if elements and isinstance(elements[-1], t.TriplesBlock):
                    raise self.error("expected '.' between two triple patterns")
                elements.append(t.TriplesBlock(self.triples_block()))
                continue
            element = self.pattern_not_triples()
            if element is None:
                return elements
            elements.append(element)
            self.accept_op(".")

    def triples_block(self) -> list[t.Triples]:
        triples = [self.triples_same_subject(paths=True)]
        while self.accept_op("."):
            if not self.starts_triples():
                return triples
            triples.append(self.triples_same_subject(paths=True))
        if self.starts_triples():
            raise self.error("expected '.' between two triple patterns")
        return triples

    def pattern_not_triples(self) -> t.Element | None:
        if self.is_op("{"):
            first = self.group()
            if not self.is_word("UNION"):
                return first
            patterns = [first]
            while self.accept_word("UNION"):
                patterns.append(self.group())
            return t.Union_(patterns)
        if self.token.kind != "word":
            return None
        word = self.token.text.upper()
        if word == "OPTIONAL":
            self.advance()
            return t.OptionalPattern(self.group())
        if word == "MINUS":
            self.advance()
            return t.Minus(self.group())
        if word == "GRAPH":
            self.advance()
            name = self.var_or_iri()
            return t.GraphPattern(name, self.group())
        if word == "SERVICE":
            raise QueryRefused(
                "SERVICE (federated query) is not allowed: this endpoint answers from its own "
                "dataset only and never contacts another server",
                operation="SERVICE",
            )
        if word == "FILTER":
            self.advance()
            return t.Filter(self.constraint())
        if word == "BIND":
            self.advance()
            self.expect_op("(")
            self.enter()
            expression = self.expression()
            self.expect_word("AS")
            variable = self.var()
            self.expect_op(")")
            self.leave()
            return t.Bind(expression, variable)
        if word == "VALUES":
            self.advance()
            return self.data_block()
        return None

    # Triples ------------------------------------------------------------------------------------
    def starts_triples(self) -> bool:
        token = self.token
        if token.kind in _TRIPLE_START:
            return True
        if token.kind == "op":
            if token.text in ("[", "("):
                return True
            return token.text in ("+", "-") and self.peek().kind == "number"
        return token.kind == "word" and token.text.upper() in ("TRUE", "FALSE")

    def triples_template(self, until: str) -> list[t.Triples]:
        triples: list[t.Triples] = []
        while not self.is_op(until) and self.starts_triples():
            triples.append(self.triples_same_subject(paths=False))
            if not self.accept_op("."):
                break
        return triples

    def triples_same_subject(self, paths: bool) -> t.Triples:
        if self.is_op("[") and self.peek().text != "]":
            subject: t.Node = self.bnode_list(paths)
            properties = self.property_list(paths) if self.starts_verb(paths) else []
            return t.Triples(subject, properties)
        if self.is_op("(") and self.peek().text != ")":
            subject = self.collection(paths)
            properties = self.property_list(paths) if self.starts_verb(paths) else []
            return t.Triples(subject, properties)
        subject = self.term()
        return t.Triples(subject, self.property_list(paths))

    def starts_verb(self, paths: bool) -> bool:
        token = self.token
        if token.kind in ("var", "iri", "pname") or (token.kind == "word" and token.text == "a"):
            return True
        return paths and token.kind == "op" and token.text in ("^", "!", "(")

    def property_list(self, paths: bool) -> list[t.Property]:
        properties = [self.property(paths)]
        while self.accept_op(";"):
            if self.starts_verb(paths):
                properties.append(self.property(paths))
        return properties

    def property(self, paths: bool) -> t.Property:
        if not self.starts_verb(paths):
            raise self.error("expected a property (an IRI, 'a' or a variable)")
        verb: t.Verb = self.var() if self.token.kind == "var" else self.path() if paths else self.verb_iri()
        objects = [self.graph_node(paths)]
        while self.accept_op(","):
            objects.append(self.graph_node(paths))
        return t.Property(verb, objects)

    def verb_iri(self) -> t.Iri:
        if self.token.kind == "word" and self.token.text == "a":
            self.advance()
            return t.Iri(RDF_TYPE)
        return self.iri()

    def graph_node(self, paths: bool) -> t.Node:
        if self.is_op("[") and self.peek().text != "]":
            return self.bnode_list(paths)
        if self.is_op("(") and self.peek().text != ")":
            return self.collection(paths)
        return self.term()

    def bnode_list(self, paths: bool) -> t.BNodeList:
        start = self.token
        self.expect_op("[")
        if not self.bnodes_allowed:
            raise self.error("blank nodes are not allowed in DELETE DATA", start)
        self.enter()
        properties = self.property_list(paths)
        self.expect_op("]")
        self.leave()
        return t.BNodeList(properties)

    def collection(self, paths: bool) -> t.Collection:
        self.expect_op("(")
        self.enter()
        items = [self.graph_node(paths)]
        while not self.is_op(")"):
            items.append(self.graph_node(paths))
        self.advance()
        self.leave()
        return t.Collection(items)

    # Paths --------------------------------------------------------------------------------------
    def path(self) -> t.Path:
        options = [self.path_sequence()]
        while self.accept_op("|"):
            options.append(self.path_sequence())
        return options[0] if len(options) == 1 else t.PathAlt(options)

    def path_sequence(self) -> t.Path:
        steps = [self.path_element_or_inverse()]
        while self.accept_op("/"):
            steps.append(self.path_element_or_inverse())
        return steps[0] if len(steps) == 1 else t.PathSeq(steps)

    def path_element_or_inverse(self) -> t.Path:
        if self.accept_op("^"):
            return t.PathInv(self.path_element())
        return self.path_element()

    def path_element(self) -> t.Path:
        primary = self.path_primary()
        if self.is_op("?", "*", "+"):
            return t.PathMod(primary, self.advance().text)
        return primary

    def path_primary(self) -> t.Path:
        if self.accept_op("!"):
            return self.negated_set()
        if self.accept_op("("):
            self.enter()
            path = self.path()
            self.expect_op(")")
            self.leave()
            return path
        return self.verb_iri()

    def negated_set(self) -> t.PathNeg:
        if not self.accept_op("("):
            return t.PathNeg([self.negated_member()])
        members = []
        if not self.is_op(")"):
            members.append(self.negated_member())
            while self.accept_op("|"):
                members.append(self.negated_member())
        self.expect_op(")")
        return t.PathNeg(members)

    def negated_member(self) -> tuple[bool, t.Iri]:
        inverse = self.accept_op("^")
        return inverse, self.verb_iri()
