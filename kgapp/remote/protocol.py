"""How a query is put to a remote store: the text it is sent as, and the dataset it names.

The project's prefixes that the query uses undeclared (and the endpoint as base, when it has
relative IRIs) are declared in front of it, on its first line so that the store's line numbers
stay the user's; values bound to variables are joined in as an inline ``VALUES`` at the head of
its pattern, which is what binding before evaluation means; the dataset is always named with
the protocol's ``default-graph-uri``/``named-graph-uri`` (:mod:`kgapp.dataset`).

A store's own extensions are not let through: a prefix neither the query nor the project
declares (Virtuoso predeclares ``bif:`` and ``sql:``, whose functions reach the server's files
and SQL) is the syntax error it is on the embedded engine, and IRIs in those schemes are
refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox

from kgapp.dataset import GraphSelection
from kgapp.errors import QueryRefused
from kgapp.querytext import inline_values, iris, relative_iris, tokens, undeclared_prefixes, unescape

SKOLEM_TESTS = {"ISBLANK", "ISIRI", "ISURI"}
STORE_EXTENSION_SCHEMES = re.compile(r"^(bif|sql|virtrdf|nodeid):", re.IGNORECASE)


@dataclass(frozen=True)
class Prepared:
    text: str
    parameters: list[tuple[str, str]]
    prologue_length: int  # characters put in front of the user's first line


def prepare(
    query: str,
    prefixes: Mapping[str, str],
    selection: GraphSelection,
    empty_graph: str,
    base_iri: str | None = None,
    bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
    skolem_prefix: str = "",
) -> Prepared:
    """The query as sent: SyntaxError for an undeclared prefix, QueryRefused for a store's own
    extension."""
    _refuse_store_extensions(query)
    if skolem_prefix:
        query = blank_nodes_kept(query, skolem_prefix)
    if bindings:
        query = inline_values(query, {name: str(value) for name, value in bindings.items()})
    undeclared = undeclared_prefixes(query)
    unknown = sorted(undeclared - prefixes.keys())
    if unknown:
        raise SyntaxError(f"the prefix {unknown[0]}: is not declared (add a PREFIX line for it)")
    prologue = "".join(f"PREFIX {p}: <{prefixes[p]}> " for p in sorted(undeclared))
    if base_iri and relative_iris(query):
        prologue = f"BASE <{base_iri}> " + prologue
    return Prepared(prologue + query, dataset_parameters(selection, empty_graph), len(prologue))


def blank_nodes_kept(query: str, skolem_prefix: str) -> str:
    """The query with ``isBlank``/``isIRI``/``isURI`` answering for blank nodes as the embedded
    store does, though the store holds them as Skolem IRIs (:mod:`kgapp.remote.terms`)."""
    found = list(tokens(query))
    edits: list[tuple[int, int, str]] = []
    for index, (kind, text, start, _end) in enumerate(found):
        name = text.upper()
        if (
            kind != "name"
            or name not in SKOLEM_TESTS
            or index + 1 >= len(found)
            or found[index + 1][1] != "("
        ):
            continue
        close = _closing(found, index + 1)
        if close is None:
            continue
        argument = query[found[index + 1][3] : found[close][2]]
        skolem = f'STRSTARTS(STR({argument}), "{skolem_prefix}")'
        test = (
            f"(isBlank({argument}) || {skolem})"
            if name == "ISBLANK"
            else f"({text}({argument}) && !{skolem})"
        )
        edits.append((start, found[close][3], test))
    for start, end, text in reversed(edits):
        query = query[:start] + text + query[end:]
    return query


def _closing(found: list[tuple[str, str, int, int]], opening: int) -> int | None:
    depth = 0
    for index in range(opening, len(found)):
        kind, text = found[index][0], found[index][1]
        if kind == "other" and text == "(":
            depth += 1
        elif kind == "other" and text == ")":
            depth -= 1
            if depth == 0:
                return index
    return None


def _refuse_store_extensions(query: str) -> None:
    for iri in iris(unescape(query)):
        if STORE_EXTENSION_SCHEMES.match(iri):
            raise QueryRefused(
                f"<{iri}> names an extension of the store, not SPARQL 1.1; it is not accepted here",
                operation="extension",
            )


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


def unshifted(message: str, prologue_length: int) -> str:
    """A store's error message with a first-line position given back in the user's text."""
    if not prologue_length:
        return message
    return re.sub(r"\b1:(\d+)\b", lambda m: f"1:{max(int(m.group(1)) - prologue_length, 1)}", message)
