"""Every IRI of the real graph dereferences: HTML and four RDF formats, each parsing to a
description of that IRI."""

from __future__ import annotations

import pytest
import rdflib
from flask.testing import FlaskClient

from kgapp import queries
from kgapp.namespaces import Namespaces
from kgapp.store import KnowledgeStore

FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}


def described_iris(store: KnowledgeStore) -> list[str]:
    return [row["iri"].value for row in store.select(queries.load("ld/described_iris"))]


def failures_for(client: FlaskClient, iri: str, path: str) -> list[str]:
    found = []
    redirect = client.get(path, headers={"Accept": "text/html"})
    if redirect.status_code != 303 or not redirect.headers["Location"].endswith(f"{path}.html"):
        found.append(f"{path}: expected 303 to {path}.html, got {redirect.status_code}")
    html = client.get(f"{path}.html")
    if html.status_code != 200 or "<h1>" not in html.get_data(as_text=True):
        found.append(f"{path}.html: {html.status_code}")
    for suffix, rdflib_format in FORMATS.items():
        response = client.get(f"{path}.{suffix}")
        if response.status_code != 200:
            found.append(f"{path}.{suffix}: {response.status_code}")
            continue
        graph = rdflib.Graph().parse(data=response.get_data(), format=rdflib_format)
        node = rdflib.URIRef(iri)
        if (node, None, None) not in graph and (None, None, node) not in graph:
            found.append(f"{path}.{suffix}: does not describe <{iri}>")
    return found


@pytest.mark.slow
def test_every_iri_of_the_graph_dereferences_in_html_and_four_rdf_formats(
    client: FlaskClient, built_store: KnowledgeStore
) -> None:
    namespaces = Namespaces()
    iris = described_iris(built_store)
    assert len(iris) > 50, "the built graph should mention many IRIs of ours"
    failures = []
    for iri in iris:
        path = namespaces.path_of(iri)
        assert path is not None
        failures.extend(failures_for(client, iri, path))
    assert failures == []


def test_the_ontology_iri_serves_documentation_and_the_whole_ontology(
    client: FlaskClient, built_store: KnowledgeStore
) -> None:
    html = client.get("/ontology.html").get_data(as_text=True)
    assert "Class hierarchy" in html and "measure" in html
    turtle = client.get("/ontology.ttl")
    graph = rdflib.Graph().parse(data=turtle.get_data(), format="turtle")
    ontology = rdflib.URIRef("https://w3id.org/hkus/ontology")
    assert (ontology, rdflib.RDF.type, rdflib.OWL.Ontology) in graph
    assert len(graph) == built_store.info.graphs["https://w3id.org/hkus/graph/ontology"]
