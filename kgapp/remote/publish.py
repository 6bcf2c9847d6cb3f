"""Writing a build into a remote store, so that readers never see a mix of two builds.

1. Each graph of the build — every named graph, and the two hidden ones (the default graph and
   the asserted triples) — is written under a staging name (``kgg:staging/…``), with the Graph
   Store Protocol (``PUT``) or, without one, SPARQL Update ``INSERT DATA`` in parts.
2. One SPARQL Update request then moves every staging graph onto its real name, drops the
   graphs the previous build had and this one has not, and replaces the pointer. A store that
   runs an update request as one transaction (Oxigraph, Virtuoso, Fuseki, GraphDB, Neptune)
   switches readers from the old build to the new one at once.

A build the store already holds (the pointer names it) writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

from kgapp.config import Settings
from kgapp.errors import KGError, NoBuild
from kgapp.namespaces import Namespaces
from kgapp.remote.client import StoreClient
from kgapp.remote.settings import RemoteSettings
from kgapp.remote.terms import Skolem
from kgapp.remote.view import read_pointer
from kgapp.remote.wire import Deadline, StoreRejected
from kgapp.store import STORE_DIR, BuildInfo

INSERT_LINES = 20_000  # triples per INSERT DATA request, when there is no Graph Store URL


def staging_graph(namespaces: Namespaces, graph: str) -> str:
    prefix = str(namespaces.graph)
    rest = graph[len(prefix) :] if graph.startswith(prefix) else hashlib.sha256(graph.encode()).hexdigest()
    return prefix + "staging/" + rest


def publish(settings: Settings, build_dir: Path, say: Callable[[str], None]) -> bool:
    """Make the build in ``build_dir`` the store's current one; False when it already was."""
    remote = RemoteSettings.of(settings)
    ns = settings.namespaces
    client = StoreClient(remote.write_credentials)
    info = BuildInfo.read(build_dir)
    build_id = build_dir.name
    try:
        current_id, current_info = read_pointer(client, remote, ns)
    except NoBuild:
        current_id, current_info = None, None
    if current_id == build_id:
        say(f"the store already serves build {build_id}: nothing written")
        return False
    graphs = _graphs_of(build_dir, info, ns)
    skolem = Skolem(ns.base)
    try:
        for graph, triples in graphs.items():
            _upload(client, remote, staging_graph(ns, graph), [skolem.triple(t) for t in triples])
        say(f"wrote {len(graphs)} graphs to the store's staging graphs")
        previous = set(current_info.graphs) if current_info else set()
        _switch(client, remote, ns, list(graphs), previous - set(graphs), build_id, info)
    except StoreRejected as exc:
        raise KGError(f"the store rejected writing build {build_id}: {exc.message}") from None
    say(f"the store now serves build {build_id}")
    return True


def _graphs_of(build_dir: Path, info: BuildInfo, ns: Namespaces) -> dict[str, list[ox.Triple]]:
    """Every graph the build writes into the store: the named ones, and the two unions."""
    store = ox.Store.read_only(str(build_dir / STORE_DIR))

    def triples(graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Triple]:
        return [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)
        ]

    graphs = {name: triples(ox.NamedNode(name)) for name in sorted(info.graphs)}
    graphs[ns.default_graph] = triples(ox.DefaultGraph())
    graphs[ns.asserted_graph] = triples(ox.NamedNode(ns.asserted_graph))
    return graphs


def _upload(client: StoreClient, remote: RemoteSettings, graph: str, triples: list[ox.Triple]) -> None:
    lines = [f"{t.subject} {t.predicate} {t.object} .\n".encode() for t in triples]
    deadline = Deadline(remote.write_timeout_s)
    if remote.store_url:
        client.request(
            "PUT",
            remote.store_url,
            deadline=deadline,
            what=f"writing graph {graph}",
            parameters=[("graph", graph)],
            body=b"".join(lines),
            content_type="application/n-triples",
        ).read_all(1 << 20)
        return
    _update(client, remote, f"DROP SILENT GRAPH <{graph}>", deadline)
    for start in range(0, len(lines), INSERT_LINES):
        part = b"".join(lines[start : start + INSERT_LINES]).decode("utf-8")
        _update(client, remote, f"INSERT DATA {{ GRAPH <{graph}> {{\n{part}}} }}", deadline)


def _switch(
    client: StoreClient,
    remote: RemoteSettings,
    ns: Namespaces,
    graphs: list[str],
    gone: set[str],
    build_id: str,
    info: BuildInfo,
) -> None:
    """One update request: every staging graph onto its name, the graphs no longer built
    dropped, the pointer replaced."""
    record = json.dumps({"build_id": build_id, "info": asdict(info)}, sort_keys=True)
    pointer = ox.Literal(record)
    operations = [f"MOVE SILENT GRAPH <{staging_graph(ns, g)}> TO GRAPH <{g}>" for g in graphs]
    operations += [f"DROP SILENT GRAPH <{g}>" for g in sorted(gone)]
    builds = ns.builds_graph
    operations += [
        f"DROP SILENT GRAPH <{builds}>",
        f"INSERT DATA {{ GRAPH <{builds}> {{ <{builds}> <{ns.current_build}> {pointer} }} }}",
    ]
    _update(client, remote, " ;\n".join(operations), Deadline(remote.write_timeout_s))


def _update(client: StoreClient, remote: RemoteSettings, text: str, deadline: Deadline) -> None:
    client.request(
        "POST",
        remote.update_url,
        deadline=deadline,
        what="an update",
        body=urlencode([("update", text)]).encode("ascii"),
        content_type="application/x-www-form-urlencoded",
    ).read_all(1 << 20)
