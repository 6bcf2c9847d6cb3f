"""Walking the data around a change, before and after it: the nodes within some hops of others,
following triples forward and/or backward, a hop along a transitive predicate costing nothing.
The cost follows the nodes reached, never the graph: a node at the edge of reach is not read."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

import pyoxigraph as ox

from kgapp.commits.poststate import PostState
from kgapp.namespaces import RDF_TYPE
from kgapp.rdfterms import OxTerm


def walk(
    state: PostState, start: Iterable[OxTerm], hops: int, forward: bool, backward: bool, free: frozenset[str]
) -> set[OxTerm]:
    """The nodes within ``hops`` of ``start`` following triples forward and/or backward, a hop
    along a ``free`` predicate costing nothing. Classes (objects of rdf:type) and literals are
    not walked through."""
    distance: dict[OxTerm, int] = {}
    queue: deque[tuple[OxTerm, int]] = deque((node, 0) for node in start)
    while queue:
        node, d = queue.popleft()
        if node in distance and distance[node] <= d:
            continue
        distance[node] = d
        if d >= hops and not free:  # at the edge of reach: no need to read this node's edges
            continue
        edges = _edges(state, node, forward, backward, None if d < hops else free)
        for predicate, neighbour in edges:
            cost = 0 if predicate in free else 1
            if d + cost <= hops and distance.get(neighbour, hops + 1) > d + cost:
                if cost == 0:
                    queue.appendleft((neighbour, d))
                else:
                    queue.append((neighbour, d + 1))
    return set(distance)


def _edges(
    state: PostState, node: OxTerm, forward: bool, backward: bool, only: frozenset[str] | None
) -> list[tuple[str, OxTerm]]:
    """The edges a walk may follow from ``node``: along ``only`` these predicates, when given (a
    node so hub-like that everything points at it is then not read whole)."""
    predicates: list[str | None] = list(only) if only is not None else [None]
    edges: list[tuple[str, OxTerm]] = []
    for predicate in predicates:
        if forward:
            edges += [
                (p, o)
                for p, o in state.out_edges(node, predicate)
                if p != RDF_TYPE and not isinstance(o, ox.Literal)
            ]
        if backward:
            edges += list(state.in_edges(node, predicate))
    return edges
