"""The ontology IRI: documentation for people, the whole ontology for machines."""

from __future__ import annotations

import re

import rdflib
from flask.testing import FlaskClient

HKUS = "https://w3id.org/hkus/ontology/"


def test_documentation_shows_hierarchy_definitions_domains_shapes_and_counts(
    ld_client: FlaskClient,
) -> None:
    html = ld_client.get("/ontology.html").get_data(as_text=True)
    tree = html[html.index('class="class-tree"') : html.index("</nav>", html.index('class="class-tree"'))]
    agent = tree.index(">agent</a>")
    assert tree.index(">person</a>", agent) > agent
    measure = html[html.index('id="Measure"') : html.index("</section>", html.index('id="Measure"'))]
    assert 'href="/ontology/Fact"' in measure
    fact = html[html.index('id="Fact"') : html.index("</section>", html.index('id="Fact"'))]
    assert 'href="/shapes/FactShape"' in fact
    row = re.search(r'<tr id="imposedBy">.*?</tr>', html, re.S)
    assert row is not None
    assert "Who imposes a measure." in row.group(0)
    assert 'href="/ontology/Measure"' in row.group(0)
    json_twin = ld_client.get("/ontology.json").get_json()
    counts = {c["iri"]: c["instances"] for c in json_twin["classes"]}
    assert counts[HKUS + "Person"] == 1
    assert counts[HKUS + "Fact"] == 3


def test_rdf_formats_hold_the_whole_ontology(ld_client: FlaskClient) -> None:
    graph = rdflib.Graph().parse(data=ld_client.get("/ontology.nt").get_data(), format="nt")
    assert (rdflib.URIRef(HKUS + "Person"), rdflib.RDFS.subClassOf, rdflib.URIRef(HKUS + "Agent")) in graph
    assert (rdflib.URIRef(HKUS[:-1]), rdflib.RDF.type, rdflib.OWL.Ontology) in graph


def test_single_valued_properties_are_marked(ld_client: FlaskClient) -> None:
    html = ld_client.get("/ontology.html").get_data(as_text=True)
    row = re.search(r'<tr id="date">.*?</tr>', html, re.S)
    assert row is not None and "single-valued" in row.group(0)
