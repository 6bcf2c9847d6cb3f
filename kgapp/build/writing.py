"""Writing a build directory: store (whole, or the previous one plus a delta), dumps, state and
build.json, under a temporary name renamed when complete."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kgapp.build.compute import Computed, stage
from kgapp.build.directories import new_build_dir, writing_failed
from kgapp.build.progress import Progress
from kgapp.config import Settings
from kgapp.disagreements import Disagreement
from kgapp.disagreements import find as find_disagreements
from kgapp.dumps import DUMPS, by_graph_and_subject, write_dumps
from kgapp.reasoning.terms import TermTable
from kgapp.store import STORE_DIR, BuildInfo


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
                content = Content(computed, meta, settings)
                load_store(temporary / STORE_DIR, itertools.chain(content.named(), content.default()))
            info.disagreements = [d.to_record() for d in disagreements_in(temporary / STORE_DIR)]
        with stage("dumps", timings, progress), progress.counting("dumps", len(DUMPS), "files") as advance:
            content = content or Content(computed, meta, settings)
            write_dumps(temporary, content.named, content.union, ns.prefixes, advance)
            content.release()
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


class Content:
    """A build's quads as the store and the dumps take them, grouped by graph and subject; made
    from the state's ints when there is a state (sorting int tuples groups subjects cheaply),
    else from the computed triples. The named quads are made once for the three dumps that
    take them; the default graph and the union are made as they are read."""

    def __init__(self, computed: Computed, meta: set[ox.Triple], settings: Settings) -> None:
        ns = settings.namespaces
        self.excluded = {ns.shapes_graph, ns.inferred_graph}
        self.inferred_graph = ns.inferred_graph
        self.asserted_graph = ns.asserted_graph
        self.computed = computed
        self._named: list[ox.Quad] | None = None
        if computed.state is not None:
            table = TermTable(computed.state.terms)
            self.graphs: dict[str, Iterable[ox.Triple]] = {}
            self.ids = computed.state.graphs()
            self.ids[ns.inferred_graph] = computed.state.inferred
            self.ids[ns.meta_graph] = {table.encode(t) for t in meta}
        else:
            self.ids = {}
            self.graphs = {**computed.project.asserted_graphs(), ns.meta_graph: meta}
            self.graphs[ns.inferred_graph] = computed.inferred or set()

    def named(self) -> list[ox.Quad]:
        if self._named is None:
            if self.ids:
                terms = self.computed.state.terms  # type: ignore[union-attr]
                self._named = [
                    ox.Quad(terms[s], terms[p], terms[o], name)  # type: ignore[arg-type]
                    for graph in sorted(self.ids)
                    for name in (ox.NamedNode(graph),)
                    for s, p, o in sorted(self.ids[graph])
                ]
            else:
                self._named = by_graph_and_subject(self.graphs)
        return self._named

    def release(self) -> None:
        self._named = None

    def _default_triples(self) -> Iterator[ox.Triple]:
        if self.ids:
            terms = self.computed.state.terms  # type: ignore[union-attr]
            union = set().union(*(ts for g, ts in self.ids.items() if g not in self.excluded))
            for s, p, o in sorted(union):
                yield ox.Triple(terms[s], terms[p], terms[o])  # type: ignore[arg-type]
        else:
            union_terms = {t for g, ts in self.graphs.items() if g not in self.excluded for t in ts}
            yield from union_terms

    def default(self) -> Iterator[ox.Quad]:
        """The unions queries read (see :func:`kgapp.store.served_unions`): the asserted and the
        inferred triples as the store's default graph, the asserted ones also as a hidden graph."""
        default, hidden = ox.DefaultGraph(), ox.NamedNode(self.asserted_graph)
        for triple in self._default_triples():
            yield ox.Quad(triple.subject, triple.predicate, triple.object, default)
            yield ox.Quad(triple.subject, triple.predicate, triple.object, hidden)
        for triple in self._inferred_triples():
            yield ox.Quad(triple.subject, triple.predicate, triple.object, default)

    def union(self) -> Iterator[ox.Triple]:
        """The asserted union and the inferred graph (disjoint), for the Turtle dump."""
        yield from self._default_triples()
        yield from self._inferred_triples()

    def _inferred_triples(self) -> Iterator[ox.Triple]:
        inferred_graph = self.inferred_graph
        if self.ids:
            terms = self.computed.state.terms  # type: ignore[union-attr]
            for s, p, o in sorted(self.ids[inferred_graph]):
                yield ox.Triple(terms[s], terms[p], terms[o])  # type: ignore[arg-type]
        else:
            yield from self.graphs[inferred_graph]


def disagreements_in(store_dir: Path) -> list[Disagreement]:
    """Where sources disagree, by the one rule (see :mod:`kgapp.disagreements`), kept with the
    build so that pages never compute it themselves."""
    store = ox.Store.read_only(str(store_dir))

    def select(sparql: str) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
        solutions = store.query(sparql, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        return [{n: s[n] for n in names if s[n] is not None} for s in solutions]

    return find_disagreements(select)


def load_store(target: Path, quads: Iterable[ox.Quad]) -> None:
    """A new on-disk store holding ``quads``, in one bulk load (nothing is kept in between)."""
    store = ox.Store(str(target))
    store.bulk_extend(quads)
    store.flush()
    store.optimize()
    del store


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
