"""The W3C SPARQL 1.1 Graph Store HTTP Protocol tests (direct and indirect identification), run
against a live server as the manifests describe them: each entry's requests in order, ``/gsp``
replaced by this graph store's ``/graph-store``, ``$LOCATION$`` by the ``Location`` a response
gave, the status codes and the graphs answered checked (graph isomorphism)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from tests.conftest import W3C_WRITE_TOKEN, LiveServer

pytestmark = pytest.mark.server

SUITE = Path(__file__).resolve().parents[3] / "shared" / "w3c" / "sparql11-tests" / "graph-store-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = "http://www.w3.org/2011/http-statusCodes#"
CNT = Namespace("http://www.w3.org/2011/content#")
CODES = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    statuses: set[int]
    location_variable: str | None
    expected_body: str | None
    expected_type: str | None


def _headers(manifest: Graph, node: object) -> dict[str, str]:
    found: dict[str, str] = {}
    listed = manifest.value(node, HT.headers)
    if listed is not None:
        for header in Collection(manifest, listed):
            found[str(manifest.value(header, HT.fieldName)).lower()] = str(
                manifest.value(header, HT.fieldValue)
            )
    return found


def _body(manifest: Graph, node: object) -> str | None:
    body = manifest.value(node, HT.body)
    return None if body is None else str(manifest.value(body, CNT.chars))


def _calls(manifest: Graph, entry: URIRef) -> list[Call]:
    action = manifest.value(entry, MF.action)
    calls = []
    for node in Collection(manifest, manifest.value(action, HT.requests)):
        response = manifest.value(node, HT.resp)
        statuses = {CODES[str(s)[len(HTS) :]] for s in manifest.objects(response, MF.expectedStatus)}
        location = manifest.value(response, MF.expectedLocation)
        calls.append(
            Call(
                method=str(manifest.value(node, HT.methodName)),
                path="/graph-store" + str(manifest.value(node, HT.absolutePath))[len("/gsp") :],
                headers=_headers(manifest, node),
                body=_body(manifest, node),
                statuses=statuses,
                location_variable=None if location is None else str(location),
                expected_body=_body(manifest, response),
                expected_type=_headers(manifest, response).get("content-type"),
            )
        )
    return calls


def _entries() -> list[tuple[str, list[Call]]]:
    found = []
    for name in ("manifest-direct.ttl", "manifest-indirect.ttl"):
        manifest = Graph().parse(SUITE / name, format="turtle")
        # every test the manifest defines: the direct one leaves one out of its list of entries
        for entry in sorted(manifest.subjects(RDF.type, MF.GraphStoreProtocolTest)):
            found.append((str(entry).rpartition("#")[2], _calls(manifest, entry)))
    return found


ENTRIES = _entries()


def test_the_manifests_were_read() -> None:
    assert len(ENTRIES) == 14


@pytest.mark.parametrize(("name", "calls"), ENTRIES, ids=[n for n, _ in ENTRIES])
def test_graph_store_protocol(w3c_write_server: LiveServer, name: str, calls: list[Call]) -> None:
    auth = {"Authorization": f"Bearer {W3C_WRITE_TOKEN}"}
    reset = requests.post(  # each test starts on an empty graph store, as the manifests assume
        w3c_write_server.url + "/update",
        data=b"DROP SILENT ALL",
        headers=auth | {"Content-Type": "application/sparql-update"},
        timeout=60,
    )
    assert reset.status_code == 200, reset.text
    variables: dict[str, str] = {}
    for call in calls:
        path, body = call.path, call.body
        for variable, value in variables.items():
            path = path.replace(variable, value)
            body = body.replace(variable, value) if body is not None else None
        headers = call.headers | auth
        response = requests.request(
            call.method,
            w3c_write_server.url + path,
            headers=headers,
            data=body.encode("utf-8") if body else None,
            timeout=30,
        )
        assert response.status_code in call.statuses, (
            name,
            call.method,
            path,
            response.status_code,
            response.text,
        )
        if call.location_variable:
            variables[call.location_variable] = response.headers["Location"]
        if call.expected_type:
            assert response.headers["Content-Type"].replace(" ", "") == call.expected_type.replace(" ", ""), (
                name
            )
        if call.expected_body is not None and call.method == "GET":
            expected = Graph().parse(data=call.expected_body, format="turtle")
            answered = Graph().parse(data=response.text, format="turtle")
            assert isomorphic(expected, answered), (name, path, response.text)
