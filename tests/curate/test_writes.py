"""Writes over HTTP pass one gate and commit one version, or change nothing."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from kgapp.build import build
from kgapp.config import Settings
from kgapp.layout import current_build_dir
from tests.conftest import settings_for
from tests.curate.conftest import ALICE, AS_ALICE, BOT, ENTITIES, PREFIXES, copy_project

SOURCE_GRAPH = "https://w3id.org/hkus/graph/source/us-ends-defense-exports-over-nsl"
EVENT = "id:event-us-defence-export-ban-announcement"


def update(
    client: FlaskClient, text: str, headers: dict[str, str] | None = None, query: str = ""
) -> TestResponse:
    return client.post(
        "/update" + query,
        data=PREFIXES + text,
        content_type="application/sparql-update",
        headers=AS_ALICE if headers is None else headers,
    )


def insert_comment(graph: str, comment: str) -> str:
    return f"INSERT DATA {{ GRAPH <{graph}> {{ id:hong-kong rdfs:comment {comment!r}@en }} }}"


def asserted_quads(settings: Settings) -> set[str]:
    """Every quad of the served version's store, as text: byte-for-byte comparable."""
    directory = current_build_dir(settings.data_path)
    assert directory is not None
    store = ox.Store.read_only(str(directory / "store"))
    return {str(q) for q in store}


def test_an_update_is_committed_visible_and_kept_as_a_patch(
    writer_client: FlaskClient, write_settings: Settings
) -> None:
    response = update(writer_client, insert_comment(ENTITIES, "Committed over HTTP"))
    assert response.status_code == 200, response.text
    answer = response.get_json()
    assert answer["committed"] is True and answer["added"] == 1
    assert response.headers["ETag"].startswith(f'"{answer["version"]}-')
    patch = write_settings.project_root / answer["patch"]
    assert patch.is_file() and "Committed over HTTP" in patch.read_text(encoding="utf-8")
    ask = PREFIXES + 'ASK { id:hong-kong rdfs:comment "Committed over HTTP"@en }'
    found = writer_client.get(
        "/sparql", query_string={"query": ask}, headers={"Accept": "application/sparql-results+json"}
    )
    assert found.get_json()["boolean"] is True


def test_a_write_brings_its_inferences(writer_client: FlaskClient) -> None:
    text = (
        f"INSERT DATA {{ GRAPH <{ENTITIES}> {{ id:a-new-curator a hkus:Person ; "
        "rdfs:label 'A new curator'@en ; rdfs:comment 'A person added over HTTP.'@en } }"
    )
    answer = update(writer_client, text).get_json()
    assert answer["committed"] is True and answer["inferredAdded"] > 0
    inferred = (
        PREFIXES + "ASK { GRAPH <https://w3id.org/hkus/graph/inferred> { id:a-new-curator a hkus:Agent } }"
    )
    found = writer_client.get(
        "/sparql", query_string={"query": inferred}, headers={"Accept": "application/sparql-results+json"}
    )
    assert found.get_json()["boolean"] is True


def test_no_token_a_wrong_token_and_a_token_out_of_scope_change_nothing(
    writer_client: FlaskClient, write_settings: Settings
) -> None:
    before = asserted_quads(write_settings)
    text = insert_comment(SOURCE_GRAPH, "Not allowed")
    no_token = update(writer_client, text, headers={})
    wrong = update(writer_client, text, headers={"Authorization": "Bearer not-a-token-of-ours"})
    outside = update(writer_client, text, headers={"Authorization": f"Bearer {BOT}"})
    assert (no_token.status_code, wrong.status_code, outside.status_code) == (401, 401, 403)
    assert no_token.headers["WWW-Authenticate"].startswith("Bearer")
    assert "may write" in outside.get_json()["message"]
    assert asserted_quads(write_settings) == before


def test_a_stale_if_match_gets_412(writer_client: FlaskClient) -> None:
    read = writer_client.get(
        "/graph-store", query_string={"graph": ENTITIES}, headers={"Accept": "text/turtle"}
    )
    assert read.status_code == 200 and read.headers["ETag"]
    first = update(
        writer_client,
        insert_comment(ENTITIES, "First"),
        headers={**AS_ALICE, "If-Match": read.headers["ETag"]},
    )
    assert first.status_code == 200, first.text
    stale = update(
        writer_client,
        insert_comment(ENTITIES, "Second"),
        headers={**AS_ALICE, "If-Match": read.headers["ETag"]},
    )
    assert stale.status_code == 412


@pytest.mark.parametrize(
    "accept", ["application/problem+json", "text/turtle", "application/ld+json", "text/html"]
)
def test_a_write_that_breaks_a_shape_is_refused_with_its_report(
    writer_client: FlaskClient, write_settings: Settings, accept: str
) -> None:
    before = asserted_quads(write_settings)
    text = f"INSERT DATA {{ GRAPH <{SOURCE_GRAPH}> {{ {EVENT} hkus:date 'not a date' }} }}"
    response = update(writer_client, text, headers={**AS_ALICE, "Accept": accept})
    assert response.status_code == 422
    assert response.mimetype == accept
    if accept == "application/problem+json":
        violations = response.get_json()["violations"]
        assert any(v["path"] == "hkus:date" and v["causedBy"] for v in violations)
        cause = next(c for v in violations for c in v["causedBy"])
        assert cause["object"] == '"not a date"' and cause["added"] is True
    if accept == "text/turtle":
        report = ox.Store()
        report.load(response.data, format=ox.RdfFormat.TURTLE)
        assert report.query(
            "PREFIX sh: <http://www.w3.org/ns/shacl#> "
            "ASK { ?r a sh:ValidationResult ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?s }"
        )
    assert asserted_quads(write_settings) == before


@pytest.mark.parametrize("accept", ["application/problem+json", "text/turtle", "text/html"])
def test_a_violation_an_inferred_class_caused_names_that_triple_and_its_rule(
    writer_client: FlaskClient, accept: str
) -> None:
    person = "id:a-person-without-words a hkus:Person ; rdfs:label 'X'@en"
    text = f"INSERT DATA {{ GRAPH <{ENTITIES}> {{ {person} }} }}"
    response = update(writer_client, text, headers={**AS_ALICE, "Accept": accept})
    assert response.status_code == 422
    if accept == "application/problem+json":
        inferred = [c for v in response.get_json()["violations"] for c in v["causedBy"] if c["inferred"]]
        assert {(c["object"], c["rule"]) for c in inferred} == {
            ("<https://w3id.org/hkus/ontology/Agent>", "cax-sco")
        }
        assert any("subClassOf" in p for c in inferred for p in c["premises"])
    if accept == "text/turtle":
        report = ox.Store()
        report.load(response.data, format=ox.RdfFormat.TURTLE)
        assert report.query(
            "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "ASK { ?r prov:wasDerivedFrom ?s . "
            "?s prov:wasGeneratedBy [ rdfs:label 'OWL 2 RL rule cax-sco' ] }"
        )
    if accept == "text/html":
        assert "Caused by the inferred triple" in response.text and "cax-sco" in response.text


def test_an_inconsistent_write_is_refused(writer_client: FlaskClient, write_settings: Settings) -> None:
    before = asserted_quads(write_settings)
    response = update(
        writer_client, f"INSERT DATA {{ GRAPH <{ENTITIES}> {{ id:mike-pompeo a hkus:Jurisdiction }} }}"
    )
    assert response.status_code == 422, response.text
    assert asserted_quads(write_settings) == before


def test_a_fact_that_names_no_source_is_refused(writer_client: FlaskClient) -> None:
    default_graph = update(writer_client, "INSERT DATA { id:hong-kong rdfs:comment 'x'@en }")
    elsewhere = update(writer_client, insert_comment("http://example.org/mine", "x"))
    assert default_graph.status_code == elsewhere.status_code == 422
    assert "names no source" in default_graph.get_json()["message"]
    assert "neither a source's graph nor the registry" in elsewhere.get_json()["message"]


def test_removing_a_sources_description_while_its_facts_remain_is_refused(writer_client: FlaskClient) -> None:
    text = (
        f"DELETE WHERE {{ GRAPH <{SOURCE_GRAPH}> {{ src:us-ends-defense-exports-over-nsl hkus:url ?url }} }}"
    )
    response = update(writer_client, text)
    assert response.status_code == 422
    assert "its web address" in response.get_json()["message"]


def test_a_new_source_is_created_with_its_description_in_the_same_request(writer_client: FlaskClient) -> None:
    graph = "https://w3id.org/hkus/graph/source/a-sixth-report"
    text = f"""INSERT DATA {{ GRAPH <{graph}> {{
        src:a-sixth-report a hkus:SourceDocument , hkus:NewsReport ; rdfs:label "A sixth report"@en ;
            hkus:title "A sixth report"@en ; hkus:publisher id:thehill-com ;
            hkus:url <https://example.org/a-sixth-report> ; hkus:published "2020-07-01"^^xsd:date ;
            hkus:publishedBasis "Printed on the page."@en ; hkus:blockCount 3 .
    }} }}"""
    response = update(writer_client, text, headers={**AS_ALICE, "Accept": "application/problem+json"})
    assert response.status_code == 200, response.text
    linked = writer_client.get(
        "/sparql",
        query_string={
            "query": f"ASK {{ GRAPH ?m {{ <{graph}> ?p <https://w3id.org/hkus/source/a-sixth-report> }} }}"
        },
        headers={"Accept": "application/sparql-results+json"},
    )
    assert linked.get_json()["boolean"] is True


def test_a_dry_run_reports_the_delta_and_commits_nothing(
    writer_client: FlaskClient, write_settings: Settings
) -> None:
    before = asserted_quads(write_settings)
    response = update(writer_client, insert_comment(ENTITIES, "Only tried"), query="?dry-run=true")
    answer = response.get_json()
    assert response.status_code == 200 and answer["committed"] is False and answer["dryRun"] is True
    assert [row["object"] for row in answer["delta"]] == ["Only tried"]
    assert asserted_quads(write_settings) == before


def test_an_update_of_several_operations_sees_each_before_it(writer_client: FlaskClient) -> None:
    text = (
        insert_comment(ENTITIES, "Step one")
        + f" ; DELETE {{ GRAPH <{ENTITIES}> {{ ?s rdfs:comment 'Step one'@en }} }}"
        + f" INSERT {{ GRAPH <{ENTITIES}> {{ ?s rdfs:comment 'Step two'@en }} }}"
        + f" WHERE {{ GRAPH <{ENTITIES}> {{ ?s rdfs:comment 'Step one'@en }} }}"
    )
    answer = update(writer_client, text).get_json()
    assert [(row["change"], row["object"]) for row in answer["delta"] if not row["inferred"]] == [
        ("added", "Step two")
    ]


def test_the_graph_store_puts_reads_and_deletes_a_graph(writer_client: FlaskClient) -> None:
    graph = "https://w3id.org/hkus/graph/source/put-report"
    body = (
        "@prefix hkus: <https://w3id.org/hkus/ontology/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<https://w3id.org/hkus/source/put-report> a hkus:SourceDocument , hkus:NewsReport ;\n"
        '  <http://www.w3.org/2000/01/rdf-schema#label> "Put report"@en ; hkus:title "Put report"@en ;\n'
        "  hkus:publisher <https://w3id.org/hkus/id/thehill-com> ; hkus:url <https://example.org/put> ;\n"
        '  hkus:published "2020"^^xsd:gYear ; hkus:publishedBasis "Printed."@en ; hkus:blockCount 1 .\n'
    )
    put = writer_client.put(
        f"/graph-store?graph={graph}", data=body, content_type="text/turtle", headers=AS_ALICE
    )
    assert put.status_code == 201, put.text
    read = writer_client.get(f"/graph-store?graph={graph}", headers={"Accept": "application/n-triples"})
    assert read.status_code == 200 and b"Put report" in read.data
    deleted = writer_client.delete(f"/graph-store?graph={graph}", headers=AS_ALICE)
    assert deleted.status_code == 200, deleted.text
    assert writer_client.get(f"/graph-store?graph={graph}").status_code == 404


def test_a_cold_build_of_the_files_after_writes_equals_the_live_store(
    writer_client: FlaskClient, write_settings: Settings, tmp_path: Path
) -> None:
    assert update(writer_client, insert_comment(ENTITIES, "Kept by a patch")).status_code == 200
    after = "hkus:after id:event-us-visa-restrictions-announcement"
    remove = f"DELETE DATA {{ GRAPH <{SOURCE_GRAPH}> {{ {EVENT} {after} }} }}"
    assert update(writer_client, remove).status_code == 200
    project = copy_project(tmp_path / "cold")
    for patch in (write_settings.project_root / "graph" / "patches").iterdir():
        (project / "graph" / "patches").mkdir(exist_ok=True)
        (project / "graph" / "patches" / patch.name).write_bytes(patch.read_bytes())
    cold = settings_for(project, tmp_path / "cold-var")
    build(cold)
    assert served_quads(cold) == served_quads(write_settings)


def served_quads(settings: Settings) -> set[str]:
    """The served quads but the hidden files graph (which names the files a subject comes from)."""
    files_graph = settings.namespaces.files_graph
    return {q for q in asserted_quads(settings) if f"<{files_graph}>" not in q}


def test_the_service_description_advertises_the_update_endpoint(writer_client: FlaskClient) -> None:
    described = writer_client.get("/sparql", headers={"Accept": "text/turtle"})
    store = ox.Store()
    store.load(described.data, format=ox.RdfFormat.TURTLE)
    query = (
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
        "ASK { ?s sd:endpoint <http://localhost/update> ; sd:supportedLanguage sd:SPARQL11Update }"
    )
    assert store.query(query)


def test_a_server_without_tokens_takes_no_writes(client: FlaskClient) -> None:
    response = client.post(
        "/update", data="INSERT DATA { <a:b> <a:c> <a:d> }", content_type="application/sparql-update"
    )
    assert response.status_code == 403
    assert "no write token is configured" in response.get_json()["message"]


def test_a_writes_change_record_is_prov_o_with_its_writer_delta_and_source(
    writer_client: FlaskClient,
) -> None:
    text = f"INSERT DATA {{ GRAPH <{SOURCE_GRAPH}> {{ {EVENT} rdfs:comment 'Recorded in PROV-O'@en }} }}"
    response = update(writer_client, text, query="?message=a+sourced+note")
    version = response.get_json()["version"]
    record = writer_client.get(f"/changes/{version}.ttl")
    assert record.status_code == 200 and record.mimetype == "text/turtle"
    store = ox.Store()
    store.load(record.data, format=ox.RdfFormat.TURTLE)
    query = (
        "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "ASK { ?a a prov:Activity ; prov:wasAssociatedWith [ rdfs:label 'alice' ] ; "
        "dcterms:description 'a sourced note' ; "
        "dcterms:source <https://w3id.org/hkus/source/us-ends-defense-exports-over-nsl> . "
        "?s rdf:object 'Recorded in PROV-O'@en ; prov:wasGeneratedBy ?a }"
    )
    assert store.query(query)
    by_alice = writer_client.get("/changes.json", query_string={"agent": "alice"}).get_json()
    assert by_alice["versions"] and all(v["agent"] == "alice" for v in by_alice["versions"])
    assert writer_client.get("/changes.nt").status_code == 200


def test_the_curator_page_tries_then_commits_without_javascript(writer_client: FlaskClient) -> None:
    page = writer_client.get("/curate")
    assert page.status_code == 200 and b'<form method="post"' in page.data and b'name="token"' in page.data
    form = {
        "kind": "turtle",
        "graph": ENTITIES,
        "text": "id:hong-kong rdfs:comment 'Pasted by a curator'@en .",
        "message": "a pasted note",
        "token": ALICE,
    }
    tried = writer_client.post("/curate", data=form | {"action": "try"})
    assert tried.status_code == 200 and b"Dry run" in tried.data and b"Pasted by a curator" in tried.data
    committed = writer_client.post("/curate", data=form | {"action": "commit"})
    assert committed.status_code == 200 and b"Committed as version" in committed.data
    wrong = writer_client.post("/curate", data=form | {"token": "not-the-token"})
    assert wrong.status_code == 401 and b"not one of this server" in wrong.data
    broken = form | {
        "kind": "update",
        "text": f"INSERT DATA {{ GRAPH <{SOURCE_GRAPH}> {{ {EVENT} hkus:date 'x' }} }}",
    }
    refused = writer_client.post("/curate", data=broken | {"action": "try"})
    assert refused.status_code == 422 and b"Caused by the write" in refused.data


def test_a_build_after_writes_finds_the_files_as_the_writes_left_them(
    writer_client: FlaskClient, write_settings: Settings
) -> None:
    response = update(writer_client, insert_comment(ENTITIES, "Before a build"))
    assert response.status_code == 200, response.text
    current = writer_client.get("/changes.json").get_json()["current"]
    build(write_settings)
    assert writer_client.get("/changes.json").get_json()["current"] == current
