"""A SPARQL 1.1 Update evaluated into a :class:`~kgapp.commits.change.Change`.

The graph store an update sees is the dataset's named graphs and its own default graph, the
hidden *unnamed* graph (``Namespaces.unnamed_graph``): as in the SPARQL 1.1 Update
specification, a pattern outside ``GRAPH`` matches that graph, not the union queries read. The
graphs the pipeline makes (inferred, meta) and the ontology and shapes are read-only here.

Operations run in order, each on the store as the ones before left it: every operation but the
last is applied to the writer's live store as it goes (``live.json`` marked dirty first, so a
process killed half-way leaves a store the next writer rebuilds), and all of it is taken back
before the change goes to the gate. What comes out is the net change: what the whole request
takes out of and puts into each graph.

The text the engine evaluates is our own, written back from the parsed tree (``WHERE`` as a
``SELECT *``, templates as TriG with variables as placeholder IRIs), never the client's bytes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

import kgapp.sparqlsyntax.operations as o
import kgapp.sparqlsyntax.tree as t
from kgapp.commits.change import Change
from kgapp.errors import KGError, QueryTimeout
from kgapp.namespaces import Namespaces
from kgapp.writes.templates import (
    UpdateFailed,
    fresh_blank_nodes,
    group_text,
    instances,
    quads_text,
    template_quads,
)

Quads = set[ox.Quad]


class GraphNotWritable(KGError):
    title = "Graph not writable"
    status = 403


@dataclass(frozen=True)
class GraphStore:
    """Which graphs of a store an update may see and change."""

    namespaces: Namespaces

    @property
    def default(self) -> ox.NamedNode:
        return ox.NamedNode(self.namespaces.unnamed_graph)

    def read_only(self) -> frozenset[str]:
        ns = self.namespaces
        return frozenset({ns.ontology_graph, ns.shapes_graph, ns.inferred_graph, ns.meta_graph})

    def named(self, store: ox.Store) -> list[ox.NamedNode]:
        """The named graphs a ``GRAPH`` pattern can match."""
        hidden = self.namespaces.hidden_graphs
        return [g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in hidden]

    def writable_named(self, store: ox.Store) -> list[ox.NamedNode]:
        shut = self.read_only()
        return [g for g in self.named(store) if g.value not in shut and exists(store, g)]

    def check_writable(self, graph: ox.NamedNode) -> None:
        if graph.value in self.read_only():
            raise GraphNotWritable(
                f"<{graph.value}> is not written by updates: the ontology and the shapes change through "
                "their files and 'kgapp build', and the inferred and meta graphs follow from the data"
            )
        if graph.value in self.namespaces.hidden_graphs and graph != self.default:
            raise GraphNotWritable(
                f"<{graph.value}> is kept by the server itself and is not written by updates"
            )


def exists(store: ox.Store, graph: ox.NamedNode) -> bool:
    """A graph exists while it holds a triple (an emptied graph is not kept, as in quad stores)."""
    return next(store.quads_for_pattern(None, None, None, graph), None) is not None


@dataclass
class Net:
    """The net change of the operations so far, and the store edits to take back at the end."""

    removed: Quads = field(default_factory=set)
    added: Quads = field(default_factory=set)
    undo: list[tuple[bool, ox.Quad]] = field(default_factory=list)  # (was added, quad)

    def take(self, store: ox.Store, quad: ox.Quad, apply: bool) -> None:
        if quad in self.added:
            self.added.discard(quad)
        elif quad in store and quad not in self.removed:
            self.removed.add(quad)
        else:
            return
        if apply:
            store.remove(quad)
            self.undo.append((False, quad))

    def put(self, store: ox.Store, quad: ox.Quad, apply: bool) -> None:
        if quad in self.removed:
            self.removed.discard(quad)
        elif quad not in store and quad not in self.added:
            self.added.add(quad)
        else:
            return
        if apply:
            store.add(quad)
            self.undo.append((True, quad))

    def take_back(self, store: ox.Store) -> None:
        for was_added, quad in reversed(self.undo):
            (store.remove if was_added else store.add)(quad)
        self.undo.clear()


class Evaluation:
    """One update request against a live store; :meth:`run` gives its net change."""

    def __init__(
        self,
        store: ox.Store,
        graphs: GraphStore,
        before_first_edit: Callable[[], None],
        timeout_s: float = 10.0,
    ) -> None:
        self.store = store
        self.timeout_s = timeout_s
        self.deadline = time.monotonic() + timeout_s
        self.graphs = graphs
        self.before_first_edit = before_first_edit
        self.net = Net()
        self.edited = False

    def run(self, update: o.Update) -> Change:
        try:
            last = len(update.operations) - 1
            for index, operation in enumerate(update.operations):
                base = update.bases[index] if index < len(update.bases) else None
                try:
                    removed, added = self._operation(operation, base)
                except KGError as error:
                    if len(update.operations) > 1:
                        error.message = f"operation {index + 1}: {error.message}"
                        error.args = (error.message,)
                    raise
                self._apply(removed, added, apply=index < last)
        finally:
            self.net.take_back(self.store)
        return _change_of(self.net, self.graphs.default)

    def _apply(self, removed: Iterable[ox.Quad], added: Iterable[ox.Quad], apply: bool) -> None:
        removed, added = list(removed), list(added)
        for quad in (*removed, *added):
            self.graphs.check_writable(quad.graph_name)  # type: ignore[arg-type]
        if apply and (removed or added) and not self.edited:
            self.before_first_edit()
            self.edited = True
        for quad in removed:
            self.net.take(self.store, quad, apply)
        for quad in added:
            self.net.put(self.store, quad, apply)

    # Operations ---------------------------------------------------------------------------------
    def _operation(
        self, operation: o.Operation, base: str | None
    ) -> tuple[Iterable[ox.Quad], Iterable[ox.Quad]]:
        if isinstance(operation, o.DataUpdate):
            quads = list(fresh_blank_nodes(template_quads(operation.quads, self.graphs.default)))
            return (quads, ()) if operation.operation == "DELETE DATA" else ((), quads)
        if isinstance(operation, o.DeleteWhere):
            template = template_quads(operation.quads, self.graphs.default)
            where = quads_text(operation.quads)
            solutions = self._solutions(where, base, [self.graphs.default], self.graphs.named(self.store))
            return instances(template, solutions), ()
        if isinstance(operation, o.Modify):
            return self._modify(operation, base)
        if isinstance(operation, o.GraphManagement):
            return self._manage(operation), ()
        if isinstance(operation, o.Transfer):
            return self._transfer(operation)
        if operation.silent:
            return (), ()
        raise UpdateFailed(
            "LOAD is not accepted: this server fetches nothing from the network. "
            "Send the data in INSERT DATA, or PUT it to the graph store"
        )

    def _modify(self, operation: o.Modify, base: str | None) -> tuple[list[ox.Quad], list[ox.Quad]]:
        into = ox.NamedNode(operation.with_graph.value) if operation.with_graph else self.graphs.default
        if operation.using:
            default = [ox.NamedNode(c.iri.value) for c in operation.using if not c.named]
            named = [ox.NamedNode(c.iri.value) for c in operation.using if c.named]
        else:
            default, named = [into], self.graphs.named(self.store)
        solutions = list(self._solutions(group_text(operation.where), base, default, named))
        removed = instances(template_quads(operation.delete or [], into), solutions)
        added = instances(template_quads(operation.insert or [], into), solutions)
        return removed, added

    def _solutions(
        self, where: str, base: str | None, default: list[ox.NamedNode], named: list[ox.NamedNode]
    ) -> Iterator[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
        text = (f"BASE <{base}> " if base else "") + "SELECT * WHERE " + where
        graphs: dict[str, Any] = {"default_graph": list(default), "named_graphs": list(named)}
        try:
            results = self.store.query(text, **graphs)
            assert isinstance(results, ox.QuerySolutions)
            names = [v.value for v in results.variables]
            for solution in results:
                if time.monotonic() > self.deadline:
                    raise QueryTimeout(
                        f"the update's WHERE clause ran past the time limit ({self.timeout_s:g} s); "
                        "nothing was changed"
                    )
                yield {n: solution[n] for n in names if solution[n] is not None}
        except (SyntaxError, OSError, ValueError) as exc:
            raise UpdateFailed(f"the WHERE clause cannot be evaluated: {exc}") from None

    def _graph(self, target: t.Iri | str) -> ox.NamedNode:
        return self.graphs.default if target == "DEFAULT" else ox.NamedNode(target.value)  # type: ignore[union-attr]

    def _manage(self, operation: o.GraphManagement) -> list[ox.Quad]:
        target = operation.target
        if target == "NAMED":
            graphs = self.graphs.writable_named(self.store)
        elif target == "ALL":
            graphs = [self.graphs.default, *self.graphs.writable_named(self.store)]
        else:
            graph = self._graph(target)
            self.graphs.check_writable(graph)
            there = exists(self.store, graph) or graph == self.graphs.default
            if operation.operation == "CREATE":
                if there and not operation.silent:
                    raise UpdateFailed(
                        f"CREATE GRAPH <{graph.value}>: the graph exists already (CREATE SILENT allows that)"
                    )
                return []
            if not there and not operation.silent:
                raise UpdateFailed(
                    f"{operation.operation} GRAPH <{graph.value}>: there is no such graph "
                    f"({operation.operation} SILENT allows that)"
                )
            graphs = [graph]
        return [q for g in graphs for q in self.store.quads_for_pattern(None, None, None, g)]

    def _transfer(self, operation: o.Transfer) -> tuple[list[ox.Quad], list[ox.Quad]]:
        source, destination = self._graph(operation.source), self._graph(operation.destination)
        if source != self.graphs.default and not exists(self.store, source):
            if operation.silent:
                return [], []
            raise UpdateFailed(
                f"{operation.operation}: there is no graph <{source.value}> "
                f"({operation.operation} SILENT allows that)"
            )
        if source == destination:
            return [], []
        quads = list(self.store.quads_for_pattern(None, None, None, source))
        added = [ox.Quad(q.subject, q.predicate, q.object, destination) for q in quads]
        removed: list[ox.Quad] = []
        if operation.operation in ("COPY", "MOVE"):
            removed += [
                q for q in self.store.quads_for_pattern(None, None, None, destination) if q not in added
            ]
        if operation.operation == "MOVE":
            self.graphs.check_writable(source)
            removed += quads
        return removed, added


def _change_of(net: Net, default: ox.NamedNode) -> Change:
    change = Change()
    for quads, part in ((net.removed, change.removed), (net.added, change.added)):
        for quad in quads:
            graph = quad.graph_name.value  # type: ignore[union-attr]
            part.setdefault(graph, set()).add(ox.Triple(quad.subject, quad.predicate, quad.object))
    return change
