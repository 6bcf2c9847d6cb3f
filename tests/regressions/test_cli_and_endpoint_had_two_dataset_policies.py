"""Regression: ``kgapp query`` and ``/sparql`` each decided what the dataset is. A query with
``FROM <…/graph/ontology>`` counted every triple of the endpoint's default graph on the command
line (6,472) and the ontology's triples on the endpoint (1,166). Both now ask kgapp.dataset."""

from __future__ import annotations

import subprocess
import sys

from flask.testing import FlaskClient

from kgapp.config import Settings
from kgapp.store import KnowledgeStore

PROLOGUE = "PREFIX kgg: <https://w3id.org/hkus/graph/>\n"
COUNT_FROM_ONTOLOGY = PROLOGUE + "SELECT (COUNT(*) AS ?n) FROM kgg:ontology WHERE { ?s ?p ?o }"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def cli_count(settings: Settings, query: str, *flags: str) -> int:
    env = {"KGAPP_PROJECT_ROOT": str(settings.project_root), "KGAPP_DATA_DIR": str(settings.data_path)}
    result = subprocess.run(
        [sys.executable, "-m", "kgapp.cli", "query", query, "--format", "json", *flags],
        capture_output=True,
        text=True,
        env=env | {"PATH": ""},
        timeout=60,
        check=True,
    )
    return int(result.stdout.split('"value":"')[1].split('"')[0])


def endpoint_count(client: FlaskClient, query: str, **params: str) -> int:
    response = client.get("/sparql", query_string={"query": query, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


def test_a_from_clause_names_the_same_dataset_on_the_command_line_and_the_endpoint(
    built_settings: Settings, built_store: KnowledgeStore, client: FlaskClient
) -> None:
    ontology_size = built_store.info.graphs[built_settings.namespaces.ontology_graph]
    assert cli_count(built_settings, COUNT_FROM_ONTOLOGY) == ontology_size
    assert endpoint_count(client, COUNT_FROM_ONTOLOGY) == ontology_size


def test_switching_inference_off_names_the_same_dataset_everywhere(
    built_settings: Settings, client: FlaskClient
) -> None:
    asserted = cli_count(built_settings, COUNT_ALL, "--no-inference")
    assert asserted == endpoint_count(client, COUNT_ALL, inference="false")
    assert asserted < endpoint_count(client, COUNT_ALL) == cli_count(built_settings, COUNT_ALL)
