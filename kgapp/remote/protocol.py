"""How a query is put to a remote store: parsed by our grammar, checked, and written back.

A store never sees the reader's bytes. The query is parsed by :mod:`kgapp.sparqlsyntax` (the
project's prefixes predeclared, relative IRIs resolved against the endpoint), which refuses
``SERVICE``, functions that are not SPARQL 1.1's and IRIs in a store's private schemes; the
text sent is written from the tree, so a comment, a line end, an escape or a glued token that
the store would read differently from us cannot carry anything past the checks (Virtuoso's
``bif:`` and ``sql:`` functions, its ``DEFINE`` pragmas, updates). Values bound to variables
join the tree as inline ``VALUES``; the dataset is always named with the protocol's
``default-graph-uri``/``named-graph-uri`` (:mod:`kgapp.dataset`).

Every step is linear in the query's length, and reading stops at the deadline.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox

import kgapp.sparqlsyntax.operations as o
import kgapp.sparqlsyntax.tree as t
from kgapp.dataset import GraphSelection
from kgapp.engine.answer import Limits
from kgapp.errors import QueryRefused, QuerySyntaxError
from kgapp.remote.client import StoreClient
from kgapp.remote.results import StoreAnswer, accept_for, read_answer
from kgapp.remote.terms import Skolem
from kgapp.remote.wire import Deadline, StoreRejected, StoreTimeout
from kgapp.sparqlsyntax import depth, parse_query
from kgapp.sparqlsyntax.binding import bind_values, tree_term
from kgapp.sparqlsyntax.parser import too_deep_refused
from kgapp.sparqlsyntax.writer import SPELLING, Writer

SKOLEM_TESTS = {"ISBLANK", "ISIRI", "ISURI"}
# Levels of plan a query sent to a store may chain: ``oxigraph serve`` aborts at about 500
# BINDs in one group (kgapp.sparqlsyntax.depth), so well below that.
MAX_PLAN_DEPTH = 256


@dataclass(frozen=True)
class Prepared:
    text: str
    parameters: list[tuple[str, str]]
    form: str  # SELECT, CONSTRUCT, DESCRIBE or ASK


def prepare(
    query: str,
    prefixes: Mapping[str, str],
    selection: GraphSelection,
    empty_graph: str,
    base_iri: str | None = None,
    bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
    skolem_prefix: str = "",
    deadline: Deadline | None = None,
) -> Prepared:
    """The query as sent. QuerySyntaxError where it is not SPARQL 1.1, QueryRefused for what is
    never run here, StoreTimeout when ``deadline`` passes while it is read."""
    tree = parse_query(query, prefixes, base_iri, _checker(deadline))
    depth.check(tree, MAX_PLAN_DEPTH)
    if bindings:
        bind_values(tree, {name: tree_term(value) for name, value in bindings.items()})
    writer = StoreWriter(skolem_prefix)
    if tree.base is not None:
        writer.base(tree.base)
    with too_deep_refused():
        writer.node(tree)
    return Prepared(" ".join(writer.out), dataset_parameters(selection, empty_graph), form_of(tree))


def rejection(store_text: str) -> str:
    """What a reader is told when the store refuses a query we parsed: the store's reason in
    short, without the compiled query and dataset that some stores append (Virtuoso's
    "SPARQL query:" and what follows it)."""
    reason = re.split(r"SPARQL query:|\bdefine\b", store_text, maxsplit=1, flags=re.IGNORECASE)[0]
    reason = re.sub(r"https?://\S+", "<…>", " ".join(reason.split()))[:300].rstrip(" :.")
    return f"the store could not run this query: {reason}" if reason else "the store could not run this query"


def _checker(deadline: Deadline | None) -> Callable[[], None] | None:
    if deadline is None:
        return None

    def check() -> None:
        if deadline.passed():
            raise StoreTimeout("the query's time limit passed while it was read")

    return check


def form_of(query: o.Query) -> str:
    return {t.Select: "SELECT", o.Construct: "CONSTRUCT", o.Describe: "DESCRIBE", o.Ask: "ASK"}[type(query)]


class StoreWriter(Writer):
    """Writes ``isBlank``/``isIRI``/``isURI`` so that they answer for blank nodes as the embedded
    store does, though the store holds them as Skolem IRIs (:mod:`kgapp.remote.terms`). The
    argument is written more than once, so a test inside another's argument is refused: the
    text stays within three times the query's length."""

    def __init__(self, skolem_prefix: str) -> None:
        super().__init__()
        self.skolem_prefix = skolem_prefix
        self._inside_test = False

    def call(self, node: t.Call) -> None:
        if not self.skolem_prefix or node.name not in SKOLEM_TESTS:
            super().call(node)
            return
        if self._inside_test:
            raise QueryRefused(
                "isBlank, isIRI and isURI inside the argument of another of them are not run on "
                "this store; test the inner value in a BIND first",
                operation="nesting",
            )
        self._inside_test = True
        try:
            self._skolem_test(node.name, node.arguments[0])
        finally:
            self._inside_test = False

    def _skolem_test(self, name: str, argument: t.Expression) -> None:
        out = self.out
        prefix = t.Literal(self.skolem_prefix)
        out.append("(")
        out.append(SPELLING[name] + "(")
        self.node(argument)
        out.append(")")
        out.append("||" if name == "ISBLANK" else "&&")
        if name == "ISBLANK":
            out.append("(")
            out.append("isIRI(")
            self.node(argument)
            out.append(")")
            out.append("&&")
        else:
            out.append("!")
        out.append("STRSTARTS(")
        out.append("STR(")
        self.node(argument)
        out.append(")")
        out.append(",")
        self.literal(prefix)
        out.append(")")
        if name == "ISBLANK":
            out.append(")")
        out.append(")")


def dataset_parameters(selection: GraphSelection, empty_graph: str) -> list[tuple[str, str]]:
    """The protocol parameters that name ``selection``. An empty default graph is named by a
    graph that holds nothing, since naming no default graph means the store's own."""
    parameters: list[tuple[str, str]] = []
    if selection.default is not None:
        default: Sequence[str] = selection.default or (empty_graph,)
        parameters += [("default-graph-uri", g) for g in default]
    if selection.named is not None:
        parameters += [("named-graph-uri", g) for g in selection.named or (empty_graph,)]
    return parameters


def form_body(prepared: Prepared | str) -> bytes:
    """A query as the protocol's POST form body (``query=…&default-graph-uri=…``)."""
    if isinstance(prepared, str):
        return urlencode([("query", prepared)]).encode("ascii")
    return urlencode([("query", prepared.text), *prepared.parameters]).encode("ascii")


def ask(
    client: StoreClient, url: str, prepared: Prepared, deadline: Deadline, skolem: Skolem, limits: Limits
) -> StoreAnswer:
    """Send a prepared query to the store and read its answer by form, within the deadline; a
    refusal of the store is the query's syntax error, said without the store's internals."""
    try:
        response = client.request(
            "POST",
            url,
            deadline=deadline,
            what="the query",
            body=form_body(prepared),
            content_type="application/x-www-form-urlencoded",
            accept=accept_for(prepared.form),
        )
    except StoreRejected as exc:
        raise QuerySyntaxError(rejection(exc.message), private=exc.message) from None
    return read_answer(response, prepared.form, skolem, limits)
