"""Dereferencing on the small linked-data project: 303 by Accept, one format per suffix URL,
Link and Vary headers, 404 with close matches, 406 when nothing fits."""

from __future__ import annotations

import pytest
import rdflib
from flask.testing import FlaskClient

ID = "https://w3id.org/hkus/id/"
RDF_SUFFIXES = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "rdf": ("application/rdf+xml", "xml"),
}


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        ("text/html,application/xhtml+xml,*/*;q=0.8", "/id/export-ban.html"),
        ("text/turtle", "/id/export-ban.ttl"),
        ("application/ld+json", "/id/export-ban.jsonld"),
        ("application/n-triples", "/id/export-ban.nt"),
        ("application/rdf+xml;q=0.9, text/turtle;q=0.5", "/id/export-ban.rdf"),
        ("application/json", "/id/export-ban.json"),
        ("", "/id/export-ban.html"),
    ],
)
def test_an_iri_answers_303_to_the_document_in_the_preferred_format(
    ld_client: FlaskClient, accept: str, location: str
) -> None:
    response = ld_client.get("/id/export-ban", headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["Location"] == "http://localhost" + location
    assert "Accept" in response.headers["Vary"]


def test_nothing_acceptable_is_406(ld_client: FlaskClient) -> None:
    response = ld_client.get("/id/export-ban", headers={"Accept": "image/png"})
    assert response.status_code == 406


@pytest.mark.parametrize("suffix", sorted(RDF_SUFFIXES))
def test_each_rdf_suffix_parses_and_describes_the_entity(ld_client: FlaskClient, suffix: str) -> None:
    media_type, rdflib_format = RDF_SUFFIXES[suffix]
    response = ld_client.get(f"/id/export-ban.{suffix}")
    assert response.status_code == 200
    assert response.mimetype == media_type
    graph = rdflib.Graph().parse(data=response.get_data(), format=rdflib_format)
    this = rdflib.URIRef(ID + "export-ban")
    assert (this, rdflib.RDFS.label, rdflib.Literal("Ban on defence exports", lang="en")) in graph
    imposed_by = rdflib.URIRef("https://w3id.org/hkus/ontology/imposedBy")
    assert (this, imposed_by, rdflib.URIRef(ID + "united-states")) in graph
    assert (rdflib.URIRef(ID + "ban-announced"), None, this) in graph


def test_trig_keeps_the_graph_of_each_source(ld_client: FlaskClient) -> None:
    response = ld_client.get("/id/export-ban.trig")
    dataset = rdflib.Dataset().parse(data=response.get_data(), format="trig")
    statement = (
        rdflib.URIRef(ID + "export-ban"),
        rdflib.URIRef("https://w3id.org/hkus/ontology/imposedBy"),
        rdflib.URIRef(ID + "united-states"),
    )
    graphs = {str(g) for s, p, o, g in dataset.quads(statement)}
    assert graphs == {
        "https://w3id.org/hkus/graph/source/report-a",
        "https://w3id.org/hkus/graph/source/report-b",
    }


def test_every_representation_advertises_all_formats_and_the_license(ld_client: FlaskClient) -> None:
    response = ld_client.get("/id/export-ban.html")
    links = response.headers["Link"]
    for suffix in ["html", "ttl", "jsonld", "nt", "rdf", "json"]:
        assert f'</id/export-ban.{suffix}>; rel="alternate"' in links
    assert 'rel="license"' in links
    page = response.get_data(as_text=True)
    for media_type in ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]:
        assert f'<link rel="alternate" type="{media_type}" href="/id/export-ban.' in page
    assert '<link rel="license"' in page


def test_json_twin_carries_provenance(ld_client: FlaskClient) -> None:
    data = ld_client.get("/id/export-ban.json").get_json()
    imposed = next(p for p in data["properties"] if p["property"].endswith("/imposedBy"))
    sources = {prov["source"] for prov in imposed["values"][0]["provenance"]}
    assert sources == {"https://w3id.org/hkus/source/report-a", "https://w3id.org/hkus/source/report-b"}


def test_unknown_iri_is_404_with_close_matches(ld_client: FlaskClient) -> None:
    html = ld_client.get("/id/pompeoo", headers={"Accept": "text/html"})
    assert html.status_code == 404
    assert 'href="/id/pompeo"' in html.get_data(as_text=True)
    data = ld_client.get("/id/pompeoo", headers={"Accept": "application/json"})
    assert data.status_code == 404
    assert data.get_json()["closeMatches"][0]["iri"] == ID + "pompeo"


def test_unknown_iri_with_a_suffix_is_404(ld_client: FlaskClient) -> None:
    assert ld_client.get("/id/nothing-here.ttl").status_code == 404


@pytest.mark.parametrize(
    "path", ["/source/report-a", "/ontology", "/ontology/Measure", "/ontology/imposedBy"]
)
def test_sources_and_ontology_terms_dereference(ld_client: FlaskClient, path: str) -> None:
    redirect = ld_client.get(path, headers={"Accept": "text/turtle"})
    assert redirect.status_code == 303
    turtle = ld_client.get(redirect.headers["Location"])
    assert turtle.status_code == 200
    graph = rdflib.Graph().parse(data=turtle.get_data(), format="turtle")
    assert (rdflib.URIRef("https://w3id.org/hkus" + path), None, None) in graph
