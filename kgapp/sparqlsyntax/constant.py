"""Queries that read no data and compute nothing: ``ASK {}``, ``SELECT * {}``.

Such a query gives one empty row (or ``true``) whatever the store holds and costs nothing, so
it can be answered without a query process (:mod:`kgapp.engine.constant`) while every query
process is busy: it is how clients and load balancers ask whether an endpoint answers. An
expression is not free (``REPLACE`` of ``REPLACE`` of a short text grows without bound, a
``BIND`` that doubles a string doubles it again in the next), nor is a pattern that reads the
store or multiplies rows, so a query with any of them is not one of these.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kgapp.errors import KGError
from kgapp.sparqlsyntax import operations as o
from kgapp.sparqlsyntax import tree as t
from kgapp.sparqlsyntax.parser import parse_query

# Before parsing, the text must look like one: one empty group. Most queries are told apart
# without a parse.
_EMPTY_GROUP = re.compile(r"\{\s*\}")
SHORT_QUERY = 2_000  # characters: longer texts are never taken for a constant query


def reads_no_data(query: str, prefixes: Mapping[str, str] | None = None) -> bool:
    if len(query) > SHORT_QUERY or query.count("{") != 1 or not _EMPTY_GROUP.search(query):
        return False
    try:
        parsed = parse_query(query, prefixes)
    except KGError:
        return False  # the engine will say what is wrong with it
    return is_constant(parsed)


def is_constant(query: o.Query) -> bool:
    if not isinstance(query, o.Ask | t.Select) or query.dataset or query.values is not None:
        return False
    if query.where.subselect is not None or query.where.elements:
        return False
    modifiers = query.modifiers
    if modifiers.group_by or modifiers.having or modifiers.order_by:
        return False
    projection = getattr(query, "projection", None) or []
    return all(p.expression is None for p in projection)
