"""The W3C SPARQL 1.1 Protocol test manifest, run against a live server.

Query-operation entries run as written (``/sparql/`` replaced by this endpoint's ``/sparql``).
Update entries run twice: against the read-only deployment, which refuses them and changes
nothing, and against one that takes writes, with the update endpoint (``/update``, as the service
description names it) in place of ``/sparql/`` and a write token.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import requests
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection

from tests.conftest import W3C_WRITE_TOKEN, LiveServer
from tests.sparql.parsing import GRAPH_SYNTAX, RESULT_SYNTAX, media_type, parse_graph, parse_results

MANIFEST = Path(__file__).resolve().parent / "w3c" / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
STATUS_CLASSES = {HTS.StatusCode2xx: 2, HTS.StatusCode3xx: 3, HTS.StatusCode4xx: 4, HTS.StatusCode5xx: 5}


@dataclass
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    status_classes: set[int]
    expected_boolean: bool | None
    expected_format: str | None

    @property
    def is_update(self) -> bool:
        content_type = self.headers.get("content-type", "")
        text = (self.body or b"").decode("utf-8", errors="replace")
        return "sparql-update" in content_type or text.startswith("update=")


def _requests(manifest: Graph, entry: URIRef) -> list[ProtocolRequest]:
    action = manifest.value(entry, MF.action)
    found = []
    for node in Collection(manifest, manifest.value(action, HT.requests)):
        headers_list = manifest.value(node, HT.headers)
        headers = {}
        if headers_list is not None:
            for header in Collection(manifest, headers_list):
                name = str(manifest.value(header, HT.fieldName)).lower()
                headers[name] = str(manifest.value(header, HT.fieldValue))
        body_node = manifest.value(node, HT.body)
        body = None
        if body_node is not None:
            encoding = str(manifest.value(body_node, CNT.characterEncoding))
            body = str(manifest.value(body_node, CNT.chars)).encode(encoding)
        response = manifest.value(node, HT.resp)
        boolean = manifest.value(response, MF.expectedBoolean)
        expected_format = manifest.value(response, MF.expectedFormat)
        path = str(manifest.value(node, HT.absolutePath))
        assert path.startswith("/sparql/"), path
        found.append(
            ProtocolRequest(
                method=str(manifest.value(node, HT.methodName)),
                path="/sparql" + path[len("/sparql/") :],
                headers=headers,
                body=body,
                status_classes={STATUS_CLASSES[s] for s in manifest.objects(response, MF.expectedStatus)},
                expected_boolean=None if boolean is None else boolean.toPython(),
                expected_format=None if expected_format is None else str(expected_format),
            )
        )
    return found


def _entries() -> list[tuple[str, list[ProtocolRequest]]]:
    manifest = Graph().parse(MANIFEST, format="turtle")
    root = next(manifest.subjects(MF.entries, None))
    entries = Collection(manifest, manifest.value(root, MF.entries))
    return [(str(e).rsplit("#", 1)[1], _requests(manifest, e)) for e in entries]


ENTRIES = _entries()
QUERY_ENTRIES = [(n, r) for n, r in ENTRIES if not any(x.is_update for x in r)]
UPDATE_ENTRIES = [(n, r) for n, r in ENTRIES if any(x.is_update for x in r)]


def _send(server: LiveServer, call: ProtocolRequest) -> requests.Response:
    return requests.request(
        call.method, server.url + call.path, headers=call.headers, data=call.body, timeout=30
    )


def _check_format(response: requests.Response, expected: str) -> None:
    content_type = response.headers["Content-Type"]
    kind = media_type(content_type)
    if expected == "RDF":
        assert kind in GRAPH_SYNTAX, content_type
        parse_graph(response.content, content_type)
    else:
        assert kind in RESULT_SYNTAX, content_type
        result = parse_results(response.content, content_type)
        assert result.type == ("ASK" if expected == "boolean" else "SELECT")


def test_manifest_was_read() -> None:
    assert len(QUERY_ENTRIES) >= 20
    assert len(UPDATE_ENTRIES) >= 10


@pytest.mark.server
@pytest.mark.parametrize(("name", "calls"), QUERY_ENTRIES, ids=[n for n, _ in QUERY_ENTRIES])
def test_query_operation(w3c_server: LiveServer, name: str, calls: list[ProtocolRequest]) -> None:
    for call in calls:
        response = _send(w3c_server, call)
        assert response.status_code // 100 in call.status_classes, (name, response.text)
        if call.expected_format:
            _check_format(response, call.expected_format)
        if call.expected_boolean is not None:
            result = parse_results(response.content, response.headers["Content-Type"])
            assert result.askAnswer is call.expected_boolean, name


@pytest.mark.server
@pytest.mark.parametrize(("name", "calls"), UPDATE_ENTRIES, ids=[n for n, _ in UPDATE_ENTRIES])
def test_update_operation_is_refused(w3c_server: LiveServer, name: str, calls: list[ProtocolRequest]) -> None:
    before = requests.get(
        w3c_server.url + "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        timeout=30,
    ).json()
    for call in (c for c in calls if c.is_update):
        response = _send(w3c_server, call)
        assert 400 <= response.status_code < 500, (name, response.status_code)
        assert response.json()["message"], name
    after = requests.get(
        w3c_server.url + "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        timeout=30,
    ).json()
    assert before == after


@pytest.mark.server
@pytest.mark.parametrize(("name", "calls"), UPDATE_ENTRIES, ids=[n for n, _ in UPDATE_ENTRIES])
def test_update_operation_on_an_endpoint_that_takes_writes(
    w3c_write_server: LiveServer, name: str, calls: list[ProtocolRequest]
) -> None:
    for call in calls:
        if call.is_update or call.path.startswith("/sparql?update="):
            path = "/update" + call.path[len("/sparql") :]
            headers = {**call.headers, "Authorization": f"Bearer {W3C_WRITE_TOKEN}"}
            call = replace(call, path=path, headers=headers)
        response = _send(w3c_write_server, call)
        assert response.status_code // 100 in call.status_classes, (name, response.status_code, response.text)
        if call.expected_boolean is not None:
            result = parse_results(response.content, response.headers["Content-Type"])
            assert result.askAnswer is call.expected_boolean, name
