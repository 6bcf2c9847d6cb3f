"""Service description, VoID and dumps, fetched from a live server and parsed back."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import requests
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from kgapp.layout import current_build_dir
from kgapp.namespaces import CANONICAL_BASE
from tests.conftest import LiveServer
from tests.sparql.parsing import parse_graph

pytestmark = pytest.mark.server

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
DESCRIPTION_TYPES = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
]


def build_graphs(data_dir: Path) -> dict[str, int]:
    build_dir = current_build_dir(data_dir)
    assert build_dir is not None
    return json.loads((build_dir / "build.json").read_text(encoding="utf-8"))["graphs"]


def service_description(server: LiveServer, accept: str | None = None) -> Graph:
    headers = {"Accept": accept} if accept else {}
    response = requests.get(server.url + "/sparql", headers=headers, timeout=30)
    assert response.status_code == 200
    return parse_graph(response.content, response.headers["Content-Type"])


@pytest.mark.parametrize("accept", [None, "*/*", *DESCRIPTION_TYPES])
def test_get_without_query_returns_the_service_description(
    live_server: LiveServer, accept: str | None
) -> None:
    graph = service_description(live_server, accept)
    endpoint = URIRef(live_server.url + "/sparql")
    assert (endpoint, RDF.type, SD.Service) in graph
    assert (endpoint, SD.endpoint, endpoint) in graph  # W3C :has-endpoint-triple
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in graph


def test_service_description_terms(live_server: LiveServer, built_data_dir: Path) -> None:
    graph = service_description(live_server, "text/turtle")
    endpoint = URIRef(live_server.url + "/sparql")
    formats = set(graph.objects(endpoint, SD.resultFormat))
    assert {
        FORMATS.SPARQL_Results_JSON,
        FORMATS.SPARQL_Results_XML,
        FORMATS.SPARQL_Results_CSV,
        FORMATS.SPARQL_Results_TSV,
        FORMATS.Turtle,
        FORMATS["JSON-LD"],
    } <= formats
    assert (endpoint, SD.feature, SD.BasicFederatedQuery) not in graph
    dataset = graph.value(endpoint, SD.defaultDataset)
    assert isinstance(dataset, BNode)
    assert graph.value(dataset, SD.defaultGraph) is not None
    names = {str(graph.value(named, SD.name)) for named in graph.objects(dataset, SD.namedGraph)}
    assert names == set(build_graphs(built_data_dir))


def test_the_query_page_is_for_browsers_only(live_server: LiveServer) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = requests.get(live_server.url + "/sparql", headers={"Accept": browser}, timeout=30)
    assert page.headers["Content-Type"].startswith("text/html")
    assert "<textarea" in page.text


def void_graph(server: LiveServer, accept: str = "text/turtle") -> Graph:
    response = requests.get(server.url + "/.well-known/void", headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200
    return parse_graph(response.content, response.headers["Content-Type"])


@pytest.mark.parametrize("accept", DESCRIPTION_TYPES)
def test_void_in_every_rdf_format(live_server: LiveServer, accept: str) -> None:
    assert (None, RDF.type, VOID.Dataset) in void_graph(live_server, accept)


def test_void_terms(live_server: LiveServer) -> None:
    graph = void_graph(live_server)
    dataset = graph.value(None, RDF.type, VOID.Dataset)
    assert dataset is not None
    for count in (VOID.triples, VOID.entities, VOID.classes, VOID.properties):
        value = graph.value(dataset, count)
        assert isinstance(value, Literal) and value.toPython() > 0, count
    assert graph.value(dataset, DCTERMS.license) is not None
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(live_server.url + "/sparql")
    assert graph.value(dataset, VOID.uriSpace) == Literal(CANONICAL_BASE + "id/")
    vocabularies = set(graph.objects(dataset, VOID.vocabulary))
    assert URIRef(CANONICAL_BASE + "ontology/") in vocabularies
    classes = list(graph.objects(dataset, VOID.classPartition))
    properties = list(graph.objects(dataset, VOID.propertyPartition))
    assert classes and properties
    assert all(graph.value(p, VOID["class"]) is not None for p in classes)
    assert all(graph.value(p, VOID.triples) is not None for p in properties)
    dumps = set(graph.objects(dataset, VOID.dataDump))
    assert len(dumps) == 4
    for dump in dumps:
        assert requests.head(str(dump), timeout=60).status_code == 200


DUMPS = [
    ("hkus.trig.gz", "trig"),
    ("hkus.nq.gz", "nquads"),
    ("hkus.jsonld.gz", "json-ld"),
    ("hkus.ttl.gz", "turtle"),
]


@pytest.mark.parametrize(("name", "syntax"), DUMPS)
def test_dump(each_store_server: LiveServer, built_data_dir: Path, name: str, syntax: str) -> None:
    url = f"{each_store_server.url}/dumps/{name}"
    response = requests.get(url, timeout=60)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/gzip"
    text = gzip.decompress(response.content)
    graphs = build_graphs(built_data_dir)
    if syntax == "turtle":
        union = Graph().parse(data=text, format="turtle")
        assert 0 < len(union) <= sum(n for g, n in graphs.items() if not g.endswith("/shapes"))
    else:
        dataset = Dataset()
        dataset.parse(data=text, format=syntax)
        for graph_name, count in graphs.items():
            assert len(dataset.graph(URIRef(graph_name))) == count, graph_name
    etag = response.headers["ETag"]
    modified = response.headers["Last-Modified"]
    assert requests.get(url, headers={"If-None-Match": etag}, timeout=30).status_code == 304
    assert requests.get(url, headers={"If-Modified-Since": modified}, timeout=30).status_code == 304
    assert requests.get(url, headers={"If-None-Match": '"other"'}, timeout=30).status_code == 200


def test_unknown_dump_is_404(live_server: LiveServer) -> None:
    response = requests.get(live_server.url + "/dumps/secrets.gz", timeout=30)
    assert response.status_code == 404
    assert "hkus.trig.gz" in response.json()["message"]


def test_sizes_are_distinct_triples_of_the_default_graph(each_store_server: LiveServer) -> None:
    response = requests.get(
        each_store_server.url + "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        timeout=30,
    )
    served = int(response.json()["results"]["bindings"][0]["n"]["value"])
    description = service_description(each_store_server, "text/turtle")
    default = description.value(
        description.value(URIRef(each_store_server.url + "/sparql"), SD.defaultDataset),
        SD.defaultGraph,
    )
    assert description.value(default, VOID.triples).toPython() == served
    void = void_graph(each_store_server)
    dataset = void.value(None, RDF.type, VOID.Dataset)
    assert void.value(dataset, VOID.triples).toPython() == served
