"""Writes that hypothesis makes up, valid and invalid: every one is answered 2xx or 4xx, never
5xx, and after each the served version still conforms to the shapes and the history holds one
version per committed write."""

from __future__ import annotations

import json

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgapp.config import Settings
from kgapp.layout import current_build_dir
from tests.curate.conftest import ALICE, AS_ALICE, BOT, ENTITIES, PREFIXES

SOURCE_GRAPH = "https://w3id.org/hkus/graph/source/us-ends-defense-exports-over-nsl"
GRAPHS = [
    ENTITIES,
    SOURCE_GRAPH,
    "https://w3id.org/hkus/graph/ontology",
    "http://example.org/elsewhere",
    None,
]
SUBJECTS = ["id:hong-kong", "id:mike-pompeo", "id:event-us-defence-export-ban-announcement", "id:a-new-thing"]
PREDICATES = ["rdfs:comment", "rdfs:label", "hkus:date", "a", "hkus:statedIn", "hkus:after"]
OBJECTS = [
    "'a note'@en",
    "'2020-07-01'^^xsd:date",
    "'not a date'",
    "hkus:Person",
    "hkus:Jurisdiction",
    "src:us-ends-defense-exports-over-nsl",
    "id:hong-kong",
    "42",
]
TOKENS = [AS_ALICE, {"Authorization": f"Bearer {BOT}"}, {"Authorization": "Bearer wrong-token-here"}, {}]

triples = st.tuples(st.sampled_from(SUBJECTS), st.sampled_from(PREDICATES), st.sampled_from(OBJECTS))
writes = st.tuples(
    st.sampled_from(["INSERT DATA", "DELETE DATA"]),
    st.sampled_from(GRAPHS),
    st.lists(triples, min_size=1, max_size=3),
    st.sampled_from(TOKENS),
    st.booleans(),
)


def _text(operation: str, graph: str | None, chosen: list[tuple[str, str, str]]) -> str:
    body = " . ".join(" ".join(t) for t in chosen)
    inner = f"GRAPH <{graph}> {{ {body} }}" if graph else body
    return PREFIXES + f"{operation} {{ {inner} }}"


def _violations(settings: Settings) -> int:
    directory = current_build_dir(settings.data_path)
    assert directory is not None
    report = json.loads((directory / "report.json").read_text(encoding="utf-8"))
    return sum(1 for r in report if r["severity"] == "Violation")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(write=writes)
def test_every_generated_write_is_answered_2xx_or_4xx_and_leaves_a_valid_graph(
    writer_client: FlaskClient,
    write_settings: Settings,
    write: tuple[str, str | None, list[tuple[str, str, str]], dict[str, str], bool],
) -> None:
    operation, graph, chosen, token, dry_run = write
    before = writer_client.get("/changes.json").get_json()["current"]
    response = writer_client.post(
        "/update" + ("?dry-run=true" if dry_run else ""),
        data=_text(operation, graph, chosen),
        content_type="application/sparql-update",
        headers=token,
    )
    assert response.status_code in (200, 401, 403, 412, 422), (response.status_code, response.text)
    after = writer_client.get("/changes.json").get_json()["current"]
    committed = response.status_code == 200 and response.get_json()["committed"]
    assert after == before + (1 if committed else 0)
    assert _violations(write_settings) == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=st.text(max_size=40), method=st.sampled_from(["GET", "PUT", "POST", "DELETE", "HEAD"]))
def test_any_graph_parameter_is_answered_without_a_server_error(
    writer_client: FlaskClient, graph: str, method: str
) -> None:
    """Regression: a ``?graph=`` that was no IRI ("not an iri", "rel/x") was a 500."""
    response = writer_client.open(
        "/graph-store",
        method=method,
        query_string={"graph": graph},
        data=b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .",
        content_type="application/n-triples",
        headers=AS_ALICE,
    )
    assert response.status_code < 500, (graph, method, response.text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    graph=st.text(max_size=30), text=st.text(max_size=60), kind=st.sampled_from(["turtle", "update", "other"])
)
def test_the_curator_page_answers_any_form_without_a_server_error(
    writer_client: FlaskClient, graph: str, text: str, kind: str
) -> None:
    form = {"kind": kind, "graph": graph, "text": text, "token": ALICE, "action": "try"}
    response = writer_client.post("/curate", data=form)
    assert response.status_code < 500, (form, response.text[:300])
