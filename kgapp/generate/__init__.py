"""Graphs of our shape at any size: ``kgapp generate --triples N --out DIR [--seed S]``.

A generated project has the project's own ``ontology/`` and ``shapes/`` and a ``graph/`` made of
blocks, each a small world in the proportions of the real graph: a registry (people, a state, a
city, a government and a department, a post, a statute, an agreement, a measure, a metric, a
goods category) split over ``graph/registry/part-NNNN.ttl`` files, and two source documents per
block under ``graph/sources/`` that state events, the measure's facts, a quotation, a figure, a
post holding and a date resolution, each with ``hkus:statedIn``. Every tenth block has its two
sources disagree on an event's date (a SHACL warning, as in the real graph). It conforms to the
shapes, and is the same for the same seed.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgapp.generate.block import BlockWriter, Triples
from kgapp.namespaces import CANONICAL_BASE, Namespaces

BLOCKS_PER_REGISTRY_FILE = 50
COPIED_FOLDERS = ("ontology", "shapes")


@dataclass(frozen=True)
class Generated:
    directory: Path
    triples: int
    files: int
    blocks: int


def generate(target_triples: int, out: Path, *, seed: int = 0, template: Path | None = None) -> Generated:
    """Write a project of about ``target_triples`` distinct instance triples into ``out``."""
    if target_triples < 1:
        raise ValueError("--triples must be at least 1")
    template = template or Path(__file__).resolve().parents[2]
    out.mkdir(parents=True, exist_ok=True)
    for folder in COPIED_FOLDERS:
        shutil.copytree(template / folder, out / folder, dirs_exist_ok=True)
    (out / "graph" / "sources").mkdir(parents=True, exist_ok=True)
    (out / "graph" / "registry").mkdir(parents=True, exist_ok=True)
    writer = BlockWriter(Namespaces(CANONICAL_BASE), random.Random(seed))
    written = files = blocks = 0
    registry: Triples = []
    writer.write_shared(registry)
    while written + len(registry) < target_triples or blocks == 0:
        block_registry, sources = writer.block(blocks)
        registry.extend(block_registry)
        for name, triples in sources:
            _write(out / "graph" / "sources" / f"{name}.ttl", triples, writer.prefixes)
            files += 1
        # the two sources restate some facts (corroboration): count each distinct triple once
        written += len({t for _name, triples in sources for t in triples})
        blocks += 1
        if blocks % BLOCKS_PER_REGISTRY_FILE == 0:
            written += _write(
                out / "graph" / "registry" / f"part-{blocks // BLOCKS_PER_REGISTRY_FILE:04d}.ttl",
                registry,
                writer.prefixes,
            )
            files += 1
            registry = []
    if registry:
        written += _write(out / "graph" / "registry" / "part-last.ttl", registry, writer.prefixes)
        files += 1
    return Generated(out, written, files, blocks)


def _write(path: Path, triples: Triples, prefixes: dict[str, str]) -> int:
    path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b"")
    return len(triples)
