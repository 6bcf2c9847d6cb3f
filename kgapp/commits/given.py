"""A version holding exactly the graphs it is given: no validation, no reasoning, for data loaded
from elsewhere (a conformance suite's, a test's)."""

from __future__ import annotations

import hashlib
from collections import Counter

import pyoxigraph as ox

from kgapp.commits.versionfiles import Made, Whole
from kgapp.commits.writer import Writer
from kgapp.config import Settings
from kgapp.validation import ValidationReport


def write_given_graphs(settings: Settings, graphs: dict[str, list[ox.Triple]], message: str) -> Made:
    """A version holding exactly ``graphs``, as given: no validation, no reasoning (data loaded
    from elsewhere, such as a conformance suite's)."""
    ns = settings.namespaces
    named = {g: set(ts) for g, ts in graphs.items() if g != ns.inferred_graph}
    whole = Whole(
        named=named,
        inferred=set(graphs.get(ns.inferred_graph, ())),
        entailed=set(),
        described={},
        report=ValidationReport([]),
        dropped=Counter(),
        files={},
        backends={"validate": "none", "reason": "none"},
    )
    digest = hashlib.sha256(
        "".join(sorted(f"{g} {t}\n" for g, ts in graphs.items() for t in ts)).encode()
    ).hexdigest()[:16]
    with Writer(settings) as writer:
        return writer.write_whole(whole, input_hash=digest, pipeline="", agent="kgapp", message=message)
