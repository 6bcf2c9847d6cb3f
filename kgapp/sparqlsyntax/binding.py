"""Values bound to variables before evaluation, written into a parsed query as inline ``VALUES``:
what an engine's own binding does, for a query that is sent as text.

The values go at the head of the query's pattern, and of the pattern of every subquery that
mentions the variable (a subquery sees only what it projects, so a binding outside it would not
reach it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import fields, is_dataclass
from typing import Any

import pyoxigraph as ox

import kgapp.sparqlsyntax.operations as o
import kgapp.sparqlsyntax.tree as t
from kgapp.namespaces import XSD_STRING


def bind_values(query: o.Query, values: Mapping[str, t.Term]) -> o.Query:
    """``query`` with ``values`` joined in, changed in place and returned."""
    if not values:
        return query
    if isinstance(query, o.Construct) and query.template is None:
        query.template = [triples for element in query.where.elements for triples in _triples(element)]
    if isinstance(query, o.Describe) and query.where is None:
        query.where = t.Group([])
    assert query.where is not None
    _bind(query.where, values)
    for select in _subqueries(query.where):
        mentioned = {n: v for n, v in values.items() if n in _variables(select)}
        if mentioned:
            _bind(select.where, mentioned)
    return query


def tree_term(term: ox.NamedNode | ox.Literal) -> t.Term:
    """A bound value as a term of the tree."""
    if isinstance(term, ox.NamedNode):
        return t.Iri(term.value)
    if term.language:
        return t.Literal(term.value, language=term.language)
    datatype = term.datatype.value
    return t.Literal(term.value, datatype=None if datatype == XSD_STRING else datatype)


def with_rows(query: o.Query, name: str, terms: Sequence[t.Term]) -> o.Query:
    """``query`` with ``VALUES ?name { … }`` at the head of its pattern and of every subquery that
    mentions ``?name``: one row per term (the neighbours of a thing whose aspects a page reads in
    one query). Changed in place."""
    assert query.where is not None
    inner = [select.where for select in _subqueries(query.where) if name in _variables(select)]
    groups = [query.where, *inner] if name in _variables(query.where, into_subqueries=False) else inner
    for group in groups:
        if group.subselect is not None:
            group.elements.insert(0, t.Group([], group.subselect))
            group.subselect = None
        group.elements.insert(0, t.Values([t.Var(name)], [[term] for term in terms]))
    return query


def _bind(group: t.Group, values: Mapping[str, t.Term]) -> None:
    block = t.Values([t.Var(name) for name in values], [list(values.values())])
    if group.subselect is not None:
        group.elements.insert(0, t.Group([], group.subselect))
        group.subselect = None
    group.elements.insert(0, block)


def _triples(element: t.Element) -> list[t.Triples]:
    return element.triples if isinstance(element, t.TriplesBlock) else []


def _children(node: Any) -> Iterator[Any]:
    for item in (getattr(node, f.name) for f in fields(node)):
        if isinstance(item, list | tuple):
            for member in item:
                if isinstance(member, list | tuple):
                    yield from (m for m in member if is_dataclass(m))
                elif is_dataclass(member):
                    yield member
        elif is_dataclass(item):
            yield item


def _subqueries(node: Any) -> Iterator[t.Select]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, t.Select) and current is not node:
            yield current
        stack.extend(_children(current))


def _variables(node: Any, into_subqueries: bool = True) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, t.Var):
            found.add(current.name)
        elif into_subqueries or not isinstance(current, t.Select) or current is node:
            stack.extend(_children(current))
    return found
