"""How deep the plan an engine builds for a query can be, read off the parsed tree.

Engines turn a group of patterns into a chain of joins, one level per pattern, a chain of
``||`` into one level per operand, a path sequence into one level per step, and walk those
chains recursively: a query of a few thousand patterns or ``BIND``\\ s overflows the stack of
the thread that plans it. ``oxigraph serve`` aborts the whole server then (at about 500
``BIND``\\ s in a group, 3,000 triple patterns or 10,000 ``||`` operands); our own engine's
query process dies with it. So a query is measured before any engine sees it, and refused
past a bound: the longest chain of levels, counted as those engines build them.

Lists an engine keeps flat (``IN``, ``COALESCE``, ``CONCAT``, ``VALUES`` rows) cost one level.
"""

from __future__ import annotations

from typing import Any

import kgapp.sparqlsyntax.operations as o
import kgapp.sparqlsyntax.tree as t
from kgapp.errors import QueryRefused


def check(node: o.Query | o.Update, limit: int) -> None:
    """QueryRefused when ``node`` plans deeper than ``limit`` levels."""
    found = depth(node)
    if found > limit:
        raise QueryRefused(
            f"the query is too large for one plan: it chains {found} patterns, operands or path "
            f"steps where at most {limit} are run here; split it into several queries",
            operation="depth",
        )


def depth(node: Any) -> int:
    """The longest chain of plan levels under ``node``."""
    measure = _MEASURES.get(type(node))
    return measure(node) if measure else 0


def _most(nodes: Any) -> int:
    return max((depth(n) for n in nodes), default=0)


def _group(node: t.Group) -> int:
    if node.subselect is not None:
        return 1 + depth(node.subselect)
    levels = sum(_triples_count(e.triples) if isinstance(e, t.TriplesBlock) else 1 for e in node.elements)
    return levels + _most(node.elements)


def _triples_count(triples: list[t.Triples]) -> int:
    return sum(
        _patterns(item.subject) + sum(_property_patterns(p) for p in item.properties) for item in triples
    )


def _property_patterns(prop: t.Property) -> int:
    return sum(1 + _patterns(obj) for obj in prop.objects)


def _patterns(node: t.Node) -> int:
    """Triple patterns a blank node property list or a collection stands for."""
    if isinstance(node, t.BNodeList):
        return sum(_property_patterns(p) for p in node.properties)
    if isinstance(node, t.Collection):
        return sum(2 + _patterns(item) for item in node.items)
    return 0


def _triples_block(node: t.TriplesBlock) -> int:
    return max((_triples(item) for item in node.triples), default=0)


def _triples(node: t.Triples) -> int:
    return max((depth(p.verb) for p in node.properties), default=0)


def _query(node: t.Select | o.Construct | o.Describe | o.Ask) -> int:
    parts: list[Any] = [node.modifiers.having, [o.expression for o in node.modifiers.order_by]]
    if isinstance(node, t.Select):
        parts.append([p.expression for p in node.projection or () if p.expression is not None])
    where = depth(node.where) if node.where is not None else 0
    return 1 + max([where, *(_most(items) for items in parts)])


def _update(node: o.Update) -> int:
    return len(node.operations) + _most(node.operations)


_MEASURES: dict[type, Any] = {
    t.Group: _group,
    t.TriplesBlock: _triples_block,
    t.Filter: lambda n: 1 + depth(n.expression),
    t.Bind: lambda n: 1 + depth(n.expression),
    t.OptionalPattern: lambda n: 1 + depth(n.pattern),
    t.Minus: lambda n: 1 + depth(n.pattern),
    t.GraphPattern: lambda n: 1 + depth(n.pattern),
    t.Union_: lambda n: len(n.patterns) + _most(n.patterns),
    t.Chain: lambda n: len(n.rest) + 1 + max(depth(n.first), _most(o for _, o in n.rest)),
    t.Binary: lambda n: 1 + max(depth(n.left), depth(n.right)),
    t.Unary: lambda n: 1 + depth(n.operand),
    t.In: lambda n: 1 + max(depth(n.operand), _most(n.items)),
    t.Call: lambda n: 1 + _most(n.arguments),
    t.FunctionCall: lambda n: 1 + _most(n.arguments),
    t.Exists: lambda n: 1 + depth(n.pattern),
    t.PathSeq: lambda n: len(n.steps) + _most(n.steps),
    t.PathAlt: lambda n: len(n.options) + _most(n.options),
    t.PathInv: lambda n: 1 + depth(n.path),
    t.PathMod: lambda n: 1 + depth(n.path),
    t.Select: _query,
    o.Construct: _query,
    o.Describe: _query,
    o.Ask: _query,
    o.Update: _update,
    o.Modify: lambda n: 1 + depth(n.where),
}
