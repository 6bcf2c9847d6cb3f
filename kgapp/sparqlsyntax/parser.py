"""A recursive-descent parser for the SPARQL 1.1 Query and Update grammars (§19.8).

It builds the tree of :mod:`kgapp.sparqlsyntax.tree` in time linear in the number of tokens,
with the nesting depth bounded (so deep input is refused, not a stack overflow) and a deadline
checked as it reads. What this endpoint never runs is refused while parsing: ``SERVICE``,
functions that are not SPARQL's own (a store's extensions, such as Virtuoso's ``bif:``), and
IRIs in a store's private schemes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from kgapp.errors import QueryRefused, QuerySyntaxError
from kgapp.sparqlsyntax import tree as t
from kgapp.sparqlsyntax.iris import is_absolute, resolve
from kgapp.sparqlsyntax.lexer import Token, scan, syntax_error, unescape_codepoints

MAX_DEPTH = 100  # brackets; each costs a few frames of Python's stack, here and in the writer
DEADLINE_EVERY = 2048  # tokens read between two looks at the clock
LOOKAHEAD = 2  # tokens read beyond the current one

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
    t.XSD + name for name in ("boolean", "double", "float", "decimal", "integer", "dateTime", "string")
}
# Schemes of a store's own machinery (Virtuoso's built-in functions and SQL), never data.
PRIVATE_SCHEMES = ("bif:", "sql:", "virtrdf:", "nodeid:")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_TRIPLE_START = {"var", "iri", "pname", "string", "number", "bnode"}
_UPDATE_WORDS = {"LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "INSERT", "DELETE", "WITH"}


def parse_query(
    text: str,
    prefixes: Mapping[str, str] | None = None,
    base: str | None = None,
    deadline: Callable[[], None] | None = None,
) -> t.Query:
    """The query ``text`` as a tree; ``prefixes`` are predeclared, relative IRIs resolve against
    ``base``. ``deadline`` is called now and then and raises when time is up."""
    parser = _Parser(text, prefixes or {}, base, deadline)
    with too_deep_refused():
        query = parser.query()
    parser.expect_end()
    return query


def parse_update(
    text: str,
    prefixes: Mapping[str, str] | None = None,
    base: str | None = None,
    deadline: Callable[[], None] | None = None,
) -> t.Update:
    parser = _Parser(text, prefixes or {}, base, deadline)
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


def nesting_refused() -> QueryRefused:
    return QueryRefused(
        f"the query nests brackets more than {MAX_DEPTH} deep; this endpoint does not parse it",
        operation="nesting",
    )


class _Parser:
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

    # Queries ------------------------------------------------------------------------------------
    def query(self) -> t.Query:
        self.prologue()
        if self.is_word("SELECT"):
            query: t.Query = self.select(subquery=False)
        elif self.accept_word("CONSTRUCT"):
            query = self.construct()
        elif self.accept_word("DESCRIBE"):
            query = self.describe()
        elif self.accept_word("ASK"):
            dataset = self.dataset_clauses()
            query = t.Ask(self.where_clause(), dataset, self.modifiers())
        elif self.is_word(*_UPDATE_WORDS):
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

    def construct(self) -> t.Construct:
        if self.is_op("{"):
            template = self.construct_template()
            dataset = self.dataset_clauses()
            return t.Construct(template, self.where_clause(), dataset, self.modifiers())
        dataset = self.dataset_clauses()
        self.expect_word("WHERE")
        self.expect_op("{")
        triples = self.triples_template(until="}")
        self.expect_op("}")
        where = t.Group([t.TriplesBlock(triples)] if triples else [])
        return t.Construct(None, where, dataset, self.modifiers())

    def construct_template(self) -> list[t.Triples]:
        self.expect_op("{")
        self.enter()
        triples = self.triples_template(until="}")
        self.expect_op("}")
        self.leave()
        return triples

    def describe(self) -> t.Describe:
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
        return t.Describe(targets, where, dataset, self.modifiers())

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

    def integer(self) -> int:
        token = self.token
        if token.kind != "number" or not token.text.isdigit():
            raise self.error("expected an integer")
        self.advance()
        return int(token.text)

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
            return t.Iri(t.RDF_TYPE)
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
        lexical = _string_value(token.text)
        if self.token.kind == "langtag":
            return t.Literal(lexical, language=self.advance().text[1:].lower())
        if self.accept_op("^^"):
            return t.Literal(lexical, datatype=self.iri().value)
        return t.Literal(lexical)

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
                call.separator = _string_value(self.advance().text)
        finally:
            self.aggregates_allowed = saved
        self.expect_op(")")
        self.leave()
        return call

    # Updates ------------------------------------------------------------------------------------
    def update(self) -> t.Update:
        update = t.Update([])
        while True:
            self.prologue()
            if self.token.kind == "end":
                break
            update.operations.append(self.operation())
            update.bases.append(self.base)
            if not self.accept_op(";"):
                break
        return update

    def operation(self) -> t.Operation:
        token = self.token
        word = token.text.upper() if token.kind == "word" else ""
        if word in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
            raise QueryRefused(f"{word} is a query, not an update; send it to the query endpoint")
        if word not in _UPDATE_WORDS:
            raise self.error("expected an update operation (INSERT, DELETE, LOAD, CLEAR, DROP…)")
        self.advance()
        if word == "LOAD":
            silent = self.accept_word("SILENT")
            source = self.iri()
            into = None
            if self.accept_word("INTO"):
                self.expect_word("GRAPH")
                into = self.iri()
            return t.Load(silent, source, into)
        if word in ("CLEAR", "DROP"):
            silent = self.accept_word("SILENT")
            return t.GraphManagement(word, silent, self.graph_ref_all())
        if word == "CREATE":
            silent = self.accept_word("SILENT")
            self.expect_word("GRAPH")
            return t.GraphManagement(word, silent, self.iri())
        if word in ("ADD", "MOVE", "COPY"):
            silent = self.accept_word("SILENT")
            origin = self.graph_or_default()
            self.expect_word("TO")
            return t.Transfer(word, silent, origin, self.graph_or_default())
        if word in ("INSERT", "DELETE") and self.accept_word("DATA"):
            return t.DataUpdate(f"{word} DATA", self.quad_data(allow_bnodes=word == "INSERT"))
        if word == "DELETE" and self.accept_word("WHERE"):
            saved, self.bnodes_allowed = self.bnodes_allowed, False
            try:
                return t.DeleteWhere(self.quad_pattern())
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
        return t.Modify(self.group(), delete, insert, with_graph, using)

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

    def quad_data(self, allow_bnodes: bool) -> list[t.QuadsBlock]:
        saved = self.variables_allowed, self.bnodes_allowed
        self.variables_allowed, self.bnodes_allowed = False, allow_bnodes
        try:
            return self.quad_pattern()
        finally:
            self.variables_allowed, self.bnodes_allowed = saved

    def quad_pattern(self) -> list[t.QuadsBlock]:
        self.expect_op("{")
        self.enter()
        blocks: list[t.QuadsBlock] = []
        default = self.triples_template(until="}")
        if default:
            blocks.append(t.QuadsBlock(None, default))
        while self.accept_word("GRAPH"):
            name = self.var_or_iri()
            self.expect_op("{")
            blocks.append(t.QuadsBlock(name, self.triples_template(until="}")))
            self.expect_op("}")
            self.accept_op(".")
            more = self.triples_template(until="}")
            if more:
                blocks.append(t.QuadsBlock(None, more))
        self.expect_op("}")
        self.leave()
        return blocks


RELATIONAL = 2
_OPERATOR_LEVELS = {
    "||": 0, "&&": 1, "=": RELATIONAL, "!=": RELATIONAL, "<": RELATIONAL, ">": RELATIONAL,
    "<=": RELATIONAL, ">=": RELATIONAL, "+": 3, "-": 3, "*": 4, "/": 4,
}  # fmt: skip
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_KIND_NAMES = {"iri": "an IRI in <>", "pname": "a prefixed name", "var": "a variable", "string": "a string"}


def _string_value(text: str) -> str:
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
