"""Validating only what an edit can affect, on only the triples that verdict can depend on.

With the shapes' radius R (:mod:`kgapp.build.shape_reach`), an edit can only change the verdict
on nodes within R hops of an edited subject (either direction) or on an edited object; and the
verdict on those nodes depends only on triples whose subject is within R hops of them. So the
affected nodes are validated on that neighbourhood of the data (with the whole ontology), and
every other node keeps its previous results. A shape with no bound is validated on all its
targets, on the triples of the properties it reads.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode

from kgapp.build.progress import Progress
from kgapp.build.shape_reach import predicates_read, shape_radii
from kgapp.build.state import BuildState
from kgapp.loader import Project
from kgapp.rdflibterms import SH
from kgapp.reasoning.index import Index
from kgapp.reasoning.terms import (
    EQUIVALENT_CLASS,
    FIRST,
    REST,
    SUBCLASS,
    SUBPROPERTY,
    TYPE,
    IntTriple,
    TermTable,
)
from kgapp.validation import (
    ValidationInput,
    ValidationReport,
    input_of,
    validate_input,
)
from kgapp.validation.report import namespace_manager

# Edits that change what a shape targets or what sh:class accepts, anywhere.
GLOBAL_PREDICATES = {SUBCLASS, SUBPROPERTY, EQUIVALENT_CLASS, FIRST, REST}
NESTING = (SH.node, SH["not"], SH.qualifiedValueShape)
LISTS = (SH["and"], SH["or"], SH.xone)


def affected_nodes(edits: Iterable[IntTriple], index: Index, table: TermTable, hops: int) -> set[int]:
    """Edited subjects and their neighbours up to ``hops`` away, and edited objects (not classes)."""
    subjects = {s for s, _p, _o in edits}
    objects = {o for _s, p, o in edits if p != TYPE and not table.is_literal(o)}
    return around(subjects, index, table, hops) | objects


def around(nodes: set[int], index: Index, table: TermTable, hops: int) -> set[int]:
    """``nodes`` and their neighbours up to ``hops`` away in either direction (classes, as
    objects of rdf:type, and literals are not walked through)."""
    reached = set(nodes)
    frontier = set(nodes)
    for _ in range(hops):
        found: set[int] = set()
        for node in frontier:
            for p in index.subject_predicates.get(node, ()):
                if p != TYPE:
                    found.update(o for o in index.objects(node, p) if not table.is_literal(o))
            for p in index.object_predicates.get(node, ()):
                found.update(index.subjects(p, node))
        frontier = found - reached
        reached |= found
    return reached


def validate_incrementally(
    project: Project,
    previous: BuildState,
    table: TermTable,
    index: Index,
    edits: set[IntTriple],
    *,
    validator: str,
    progress: Progress,
) -> ValidationReport:
    """Validate again the focus nodes the edits can affect (on their neighbourhood of the data),
    and every target of the shapes with no bound (on the properties they read); keep the
    previous results of every other node. ``index`` is the previous closure (an edited triple's
    new neighbours are its own ends, which are affected)."""
    given = input_of(project)
    radii = shape_radii(project)
    hops = max((r for r in radii.values() if r is not None), default=0)
    unbounded = [s for s, r in radii.items() if r is None]
    reads = predicates_read(project, unbounded)
    whole = any(p in GLOBAL_PREDICATES for _s, p, _o in edits) or any(isinstance(s, BNode) for s in radii)
    nodes = affected_nodes(edits, index, table, hops)
    if whole or reads is None or any(isinstance(table.terms[n], ox.BlankNode) for n in nodes):
        progress.say("  validating every focus node (the edit reaches beyond a bounded neighbourhood)")
        return validate_input(given, project, validator=validator)
    names = namespace_manager(project.namespaces)
    unbounded_names = {names.normalizeUri(s) for s in unbounded}
    focus = sorted({t.value for t in (table.terms[n] for n in nodes) if isinstance(t, ox.NamedNode)})
    # A node no edit reaches keeps its results, files included: any change to a file is an
    # edit of the triples it adds or removes, whose subjects are reached.
    focus_set = set(focus)
    results = [r for r in previous.results if r.focus not in focus_set and r.shape not in unbounded_names]
    near = around(nodes, index, table, hops)
    ids = table.ids
    neighbourhood = [t for t in given.data if ids.get(t.subject, -1) in near]  # type: ignore[arg-type]
    local = ValidationInput(neighbourhood, given.ontology, given.shapes)
    fresh = validate_input(local, project, validator=validator, focus_nodes=focus).results
    results += [r for r in fresh if r.shape not in unbounded_names]
    if unbounded:
        read = ValidationInput(
            [t for t in given.data if t.predicate.value in reads], given.ontology, given.shapes
        )
        results += validate_input(
            read, project, validator=validator, shapes=[str(s) for s in unbounded]
        ).results
    progress.say(
        f"  validated {len(focus):,} focus node(s) the edits can affect on {len(neighbourhood):,} triples,"
        f" {len(unbounded)} unbounded shape(s) on {len(read.data) if unbounded else 0:,}; kept the rest"
    )
    return ValidationReport(sorted(results, key=lambda r: r.sort_key()))
