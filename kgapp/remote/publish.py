"""Writing a version into a remote store, so that readers never see a mix of two versions.

A commit whose parent the store serves (or an ancestor still kept here) is sent as its delta:
one SPARQL Update request that deletes and inserts each commit's quads in the named graphs and
the two hidden ones (the default graph and the asserted triples), in order, and replaces the
pointer. Anything else is written whole:

1. Each graph of the version — every named graph, and the two hidden ones — is written under a
   staging name (``kgg:staging/…``), with the Graph Store Protocol (``PUT``) or, without one,
   SPARQL Update ``INSERT DATA`` in parts.
2. One SPARQL Update request then moves every staging graph onto its real name, drops the
   graphs the previous version had and this one has not, and replaces the pointer.

A store that runs an update request as one transaction (Oxigraph, Virtuoso, Fuseki, GraphDB,
Neptune) switches readers from the old version to the new one at once. A version the store
already holds (the pointer names it) writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

from kgapp.commits.live import CHANGE_DIR, read_change
from kgapp.config import Settings
from kgapp.errors import KGError, NoBuild
from kgapp.layout import BUILD_INFO_FILE, STORE_DIR, BuildInfo
from kgapp.namespaces import Namespaces
from kgapp.remote.client import StoreClient
from kgapp.remote.settings import RemoteSettings
from kgapp.remote.terms import Skolem
from kgapp.remote.view import read_pointer
from kgapp.remote.wire import Deadline, StoreRejected

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
    build_id = info.version_id
    try:
        current_id, current_info = read_pointer(client, remote, ns)
    except NoBuild:
        current_id, current_info = None, None
    if current_id == build_id:
        say(f"the store already serves version {info.version}: nothing written")
        return False
    chain = _commits_since(build_dir, current_id) if current_id else None
    if chain:
        try:
            _send_deltas(client, remote, ns, chain, info)
        except StoreRejected as exc:
            raise KGError(f"the store rejected version {info.version}: {exc.message}") from None
        say(f"the store now serves version {info.version} ({len(chain)} commit(s) sent as deltas)")
        return True
    graphs = _graphs_of(build_dir, info, ns)
    skolem = Skolem(ns.base)
    try:
        for graph, triples in graphs.items():
            _upload(client, remote, staging_graph(ns, graph), [skolem.triple(t) for t in triples])
        say(f"wrote {len(graphs)} graphs to the store's staging graphs")
        previous = set(current_info.graphs) if current_info else set()
        _switch(client, remote, ns, list(graphs), previous - set(graphs), build_id, info)
    except StoreRejected as exc:
        raise KGError(f"the store rejected writing version {info.version}: {exc.message}") from None
    say(f"the store now serves version {info.version}")
    return True


def _commits_since(version: Path, served_id: str) -> list[Path] | None:
    """The version directories from the one after ``served_id`` to ``version``, when each is a
    commit kept here with its change; None when the store's version is not such an ancestor."""
    chain: list[Path] = []
    directory = version
    while True:
        info = BuildInfo.read(directory)
        if info.kind != "commit" or info.parent is None or not (directory / CHANGE_DIR).is_dir():
            return None
        chain.append(directory)
        if info.parent_id == served_id:
            return list(reversed(chain))
        directory = directory.parent / str(info.parent)
        if not (directory / BUILD_INFO_FILE).is_file():
            return None


def _send_deltas(
    client: StoreClient, remote: RemoteSettings, ns: Namespaces, chain: list[Path], info: BuildInfo
) -> None:
    """One update request: each commit's deletions and insertions in order, then the pointer."""
    skolem = Skolem(ns.base)
    operations = []
    for directory in chain:
        removed, added = read_change(directory)
        for verb, quads in (("DELETE DATA", removed), ("INSERT DATA", added)):
            body = _quads_text(quads, ns, skolem)
            if body:
                operations.append(f"{verb} {{\n{body}}}")
    operations += _pointer_operations(ns, info)
    _update(client, remote, " ;\n".join(operations), Deadline(remote.write_timeout_s))


def _quads_text(quads: list[ox.Quad], ns: Namespaces, skolem: Skolem) -> str:
    """Quads as the store holds them: the default graph under its name, no blank nodes, and
    nothing of the graphs only the writer reads."""
    by_graph: dict[str, list[str]] = {}
    writer_only = {ns.entailed_graph, ns.files_graph}
    for quad in quads:
        graph = quad.graph_name
        name = ns.default_graph if isinstance(graph, ox.DefaultGraph) else graph.value
        if name in writer_only:
            continue
        t = skolem.triple(ox.Triple(quad.subject, quad.predicate, quad.object))
        by_graph.setdefault(name, []).append(f"{t.subject} {t.predicate} {t.object} .")
    return "".join(
        f"GRAPH <{graph}> {{\n" + "\n".join(lines) + "\n}\n" for graph, lines in sorted(by_graph.items())
    )


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
    operations = [f"MOVE SILENT GRAPH <{staging_graph(ns, g)}> TO GRAPH <{g}>" for g in graphs]
    operations += [f"DROP SILENT GRAPH <{g}>" for g in sorted(gone)]
    operations += _pointer_operations(ns, info)
    _update(client, remote, " ;\n".join(operations), Deadline(remote.write_timeout_s))


def _pointer_operations(ns: Namespaces, info: BuildInfo) -> list[str]:
    """Replace the pointer with one naming ``info``'s version."""
    record = json.dumps({"build_id": info.version_id, "info": asdict(info)}, sort_keys=True)
    pointer = ox.Literal(record)
    builds = ns.builds_graph
    return [
        f"DROP SILENT GRAPH <{builds}>",
        f"INSERT DATA {{ GRAPH <{builds}> {{ <{builds}> <{ns.current_build}> {pointer} }} }}",
    ]


def _update(client: StoreClient, remote: RemoteSettings, text: str, deadline: Deadline) -> None:
    client.request(
        "POST",
        remote.update_url,
        deadline=deadline,
        what="an update",
        body=urlencode([("update", text)]).encode("ascii"),
        content_type="application/x-www-form-urlencoded",
    ).read_all(1 << 20)
