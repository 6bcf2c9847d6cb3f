"""The W3C SPARQL 1.1 Update evaluation tests, run over HTTP as the specification's authors
describe them: the dataset before is put into the graph store, the update is posted to
``/update``, and the graph store is read back and compared (graph isomorphism) with the dataset
after. They write graphs that are no source of ours, so the deployment has the sourcing rule
switched off (``require_sources = false``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from kgapp.commits.given import write_given_graphs
from tests.conftest import app_for, settings_for
from tests.curate.conftest import ALICE

pytestmark = pytest.mark.slow  # 94 tests, each a handful of commits: about 40 s

SUITE = Path(__file__).resolve().parents[3] / "shared" / "w3c" / "sparql11-tests"
FOLDERS = (
    "add", "basic-update", "clear", "copy", "delete", "delete-data", "delete-insert", "delete-where", "drop",
    "move", "update-silent",
)  # fmt: skip
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
AUTH = {"Authorization": f"Bearer {ALICE}"}


def _entries() -> list[tuple[str, Path, dict[str, object]]]:
    found = []
    for folder in FOLDERS:
        manifest = SUITE / folder / "manifest.ttl"
        if not manifest.is_file():
            continue
        graph = Graph().parse(manifest, format="turtle")
        for test in graph.subjects(RDF.type, URIRef(MF + "UpdateEvaluationTest")):
            action, result = (
                graph.value(test, URIRef(MF + "action")),
                graph.value(test, URIRef(MF + "result")),
            )
            found.append(
                (
                    f"{folder}/{str(test).rpartition('#')[2]}",
                    manifest,
                    {
                        "request": graph.value(action, URIRef(UT + "request")),
                        "before": _dataset(graph, action),
                        "after": _dataset(graph, result),
                    },
                )
            )
    return sorted(found)


def _dataset(graph: Graph, node: object) -> dict[str | None, str]:
    """Graph name (None: the default graph) → the file that holds it."""
    found: dict[str | None, str] = {}
    data = graph.value(node, URIRef(UT + "data"))
    if data is not None:
        found[None] = str(data)
    for named in graph.objects(node, URIRef(UT + "graphData")):
        found[str(graph.value(named, RDFS.label))] = str(graph.value(named, URIRef(UT + "graph")))
    return found


ENTRIES = _entries()


@pytest.fixture(scope="module")
def suite_client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    project = tmp_path_factory.mktemp("w3c-update")
    settings = settings_for(project, project / "var", write_tokens=f"alice:*:{ALICE}", require_sources=False)
    write_given_graphs(settings, {}, "an empty graph store for the W3C update tests")
    app: Flask = app_for(request, settings)
    return app.test_client()


def _file_text(uri: str) -> bytes:
    return Path(uri.removeprefix("file://")).read_bytes()


def _put(client: FlaskClient, name: str | None, uri: str) -> None:
    """The file's triples, relative IRIs resolved against its own address (as the suite means)."""
    target = "/graph-store?default" if name is None else f"/graph-store?graph={name}"
    body = Graph().parse(data=_file_text(uri), format="turtle", publicID=uri).serialize(format="nt")
    response = client.put(target, data=body, content_type="application/n-triples", headers=AUTH)
    assert response.status_code in (200, 201, 204), response.text


def _read(client: FlaskClient, name: str | None) -> Graph:
    target = "/graph-store?default" if name is None else f"/graph-store?graph={name}"
    response = client.get(target, headers={"Accept": "application/n-triples"})
    if response.status_code == 404:
        return Graph()
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.data, format="nt")


def _named_graphs(client: FlaskClient) -> set[str]:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    answer = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    graphs = {row["g"]["value"] for row in answer.get_json()["results"]["bindings"]}
    return {g for g in graphs if not g.startswith("https://w3id.org/hkus/graph/")}


@pytest.mark.parametrize(("name", "manifest", "test"), ENTRIES, ids=[e[0] for e in ENTRIES])
def test_w3c_update_evaluation(suite_client: FlaskClient, name: str, manifest: Path, test: dict) -> None:
    reset = suite_client.post(
        "/update", data="DROP SILENT ALL", content_type="application/sparql-update", headers=AUTH
    )
    assert reset.status_code == 200, reset.text
    for graph_name, uri in test["before"].items():
        _put(suite_client, graph_name, uri)
    request_file = Path(str(test["request"]).removeprefix("file://"))
    text = f"BASE <{test['request']}>\n" + request_file.read_text(encoding="utf-8")
    response = suite_client.post("/update", data=text, content_type="application/sparql-update", headers=AUTH)
    assert response.status_code == 200, response.text
    expected = {
        n: Graph().parse(data=_file_text(u), format="turtle", publicID=u) for n, u in test["after"].items()
    }
    expected.setdefault(None, Graph())
    for graph_name, graph in expected.items():
        assert isomorphic(_read(suite_client, graph_name), graph), (
            f"{name}: graph {graph_name or 'DEFAULT'} differs"
        )
    extra = _named_graphs(suite_client) - {n for n in expected if n is not None}
    assert not extra, f"{name}: graphs not in the expected dataset: {sorted(extra)}"
