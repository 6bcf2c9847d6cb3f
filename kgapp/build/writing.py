"""Writing a build directory: store (whole, or the previous one plus a delta), dumps, state and
build.json, under a temporary name renamed when complete."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgapp.build.compute import Computed, stage
from kgapp.build.directories import new_build_dir, writing_failed
from kgapp.build.dumps import DUMPS, by_graph_and_subject, write_dumps
from kgapp.build.progress import Progress
from kgapp.config import Settings
from kgapp.reasoning.terms import TermTable
from kgapp.store import STORE_DIR, BuildInfo, write_store


def write_build(
    settings: Settings,
    digest: str,
    meta: set[ox.Triple],
    computed: Computed,
    info: BuildInfo,
    timings: dict[str, float],
    progress: Progress,
    base: Path | None,
) -> Path:
    """The new build directory, complete; ``base`` is the build whose store the delta applies to."""
    ns = settings.namespaces
    temporary, final = new_build_dir(settings.data_path, digest)
    try:
        with stage("store", timings, progress):
            if base is not None and computed.store_delta is not None:
                apply_delta(base / STORE_DIR, temporary / STORE_DIR, *computed.store_delta)
                content = None
            else:
                content = Content.of(computed, meta, settings)
                write_store(temporary / STORE_DIR, content.named + content.default(), [])
        with stage("dumps", timings, progress), progress.counting("dumps", len(DUMPS), "files") as advance:
            content = content or Content.of(computed, meta, settings)
            write_dumps(temporary, content.named, content.union, ns.prefixes, advance)
        if computed.state is not None:
            with stage("state", timings, progress):
                computed.state.save(temporary)
        info.write(temporary)
        temporary.rename(final)
    except OSError as exc:
        raise writing_failed(exc, settings.data_path) from None
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    return final


@dataclass
class Content:
    """A build's quads as the store and the dumps take them, grouped by graph and subject."""

    named: list[ox.Quad]  # every named graph
    default_triples: list[ox.Triple]  # the materialized default graph
    inferred: list[ox.Triple]

    def default(self) -> list[ox.Quad]:
        graph = ox.DefaultGraph()
        return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in self.default_triples]

    @property
    def union(self) -> list[ox.Triple]:
        """The default graph and the inferred graph (disjoint), for the Turtle dump."""
        return self.default_triples + self.inferred

    @classmethod
    def of(cls, computed: Computed, meta: set[ox.Triple], settings: Settings) -> Content:
        ns = settings.namespaces
        excluded = {ns.shapes_graph, ns.inferred_graph}
        if computed.state is None:
            graphs: dict[str, Iterable[ox.Triple]] = {
                **computed.project.asserted_graphs(),
                ns.inferred_graph: computed.inferred or set(),
                ns.meta_graph: meta,
            }
            named = by_graph_and_subject(graphs)
            left_out = {ox.NamedNode(g) for g in excluded}
            union = {(q.subject, q.predicate, q.object) for q in named if q.graph_name not in left_out}
            default = [ox.Triple(*t) for t in union]
            return cls(named, default, list(computed.inferred or ()))
        # From the state's ints: sorting int tuples groups subjects at a fraction of the cost.
        state, terms = computed.state, computed.state.terms
        by_graph = state.graphs()
        by_graph[ns.inferred_graph] = state.inferred
        table = TermTable(terms)
        by_graph[ns.meta_graph] = {table.encode(t) for t in meta}
        named = [
            ox.Quad(terms[s], terms[p], terms[o], name)  # type: ignore[arg-type]
            for graph in sorted(by_graph)
            for name in (ox.NamedNode(graph),)
            for s, p, o in sorted(by_graph[graph])
        ]
        default_ids = sorted(set().union(*(ts for g, ts in by_graph.items() if g not in excluded)))
        triple = ox.Triple
        default = [triple(terms[s], terms[p], terms[o]) for s, p, o in default_ids]  # type: ignore[arg-type]
        inferred = [triple(terms[s], terms[p], terms[o]) for s, p, o in sorted(state.inferred)]  # type: ignore[arg-type]
        return cls(named, default, inferred)


def apply_delta(base_store: Path, target: Path, removed: list[ox.Quad], added: list[ox.Quad]) -> None:
    """Copy the base build's store (a RocksDB checkpoint: hard links to its immutable files, so
    the served store is never written to) and apply the change to the copy."""
    ox.Store.read_only(str(base_store)).backup(str(target))
    store = ox.Store(str(target))
    for quad in removed:
        store.remove(quad)
    store.extend(added)
    store.flush()
    del store
