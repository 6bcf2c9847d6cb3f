"""The small picture of a resource's neighbourhood: the resource in the middle, the things it
links to and from on a circle around it. Only positions are computed here; the SVG itself is
the template ``ld/neighbourhood.svg`` (escaped like every template)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from kgapp.ld.claims import Description

WIDTH = 640
HEIGHT = 420
RADIUS = 160
MAX_NEIGHBOURS = 16
MAX_LABEL = 28


@dataclass(frozen=True)
class Node:
    x: float
    y: float
    label: str
    title: str
    href: str | None


@dataclass(frozen=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    outgoing: bool


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    centre: Node
    nodes: list[Node]
    edges: list[Edge]
    hidden: int  # neighbours left out to keep the picture readable


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _neighbours(description: Description) -> list[tuple[str, str, str | None, str, bool]]:
    """(iri, label, href, property label, outgoing) for each linked IRI, asserted links first."""
    found: dict[str, tuple[str, str, str | None, str, bool]] = {}
    groups = sorted(
        [*description.key_facts, *description.properties, *description.referenced_by],
        key=lambda g: g not in description.key_facts,
    )
    for group in groups:
        for stated in group.values:
            value = stated.value
            if value.kind != "iri" or value.value == description.iri or stated.inferred_only:
                continue
            found.setdefault(
                value.value,
                (value.value, value.label, value.href, group.heading, group.direction == "out"),
            )
    return list(found.values())


def layout(description: Description) -> Layout:
    cx, cy = WIDTH / 2, HEIGHT / 2
    centre = Node(cx, cy, _short(description.label), description.label, None)
    neighbours = _neighbours(description)
    shown = neighbours[:MAX_NEIGHBOURS]
    nodes, edges = [], []
    for index, (_iri, label, href, prop, outgoing) in enumerate(shown):
        angle = 2 * math.pi * index / max(len(shown), 1) - math.pi / 2
        x = cx + RADIUS * 1.45 * math.cos(angle)
        y = cy + RADIUS * math.sin(angle)
        nodes.append(Node(round(x, 1), round(y, 1), _short(label), label, href))
        edges.append(Edge(cx, cy, round(x, 1), round(y, 1), prop, outgoing))
    return Layout(WIDTH, HEIGHT, centre, nodes, edges, len(neighbours) - len(shown))
