"""Real SPARQL clients pointed at a live server: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

from xml.dom.minidom import Document

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, N3, RDFXML, TURTLE, XML, SPARQLWrapper

from tests.conftest import LiveServer

pytestmark = pytest.mark.server

CLASSES = "SELECT ?class WHERE { ?class a owl:Class } ORDER BY ?class LIMIT 10"
CONSTRUCT = "CONSTRUCT { ?c a owl:Class } WHERE { ?c a owl:Class } LIMIT 10"


def wrapper(server: LiveServer, query: str, return_format: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(return_format)
    return client


def test_sparqlwrapper_json(each_store_server: LiveServer) -> None:
    result = wrapper(each_store_server, CLASSES, JSON).query().convert()
    classes = [b["class"]["value"] for b in result["results"]["bindings"]]
    assert len(classes) == 10
    assert classes == sorted(classes)


def test_sparqlwrapper_xml(live_server: LiveServer) -> None:
    document = wrapper(live_server, CLASSES, XML).query().convert()
    assert isinstance(document, Document)
    assert len(document.getElementsByTagName("result")) == 10


def test_sparqlwrapper_csv(live_server: LiveServer) -> None:
    body = wrapper(live_server, CLASSES, CSV).query().convert()
    lines = body.decode("utf-8").strip().splitlines()
    assert lines[0] == "class"
    assert len(lines) == 11


def test_sparqlwrapper_post(live_server: LiveServer) -> None:
    client = wrapper(live_server, CLASSES, JSON)
    client.setMethod("POST")
    assert len(client.query().convert()["results"]["bindings"]) == 10


@pytest.mark.parametrize("return_format", [RDFXML, TURTLE, N3])
def test_sparqlwrapper_construct(live_server: LiveServer, return_format: str) -> None:
    converted = wrapper(live_server, CONSTRUCT, return_format).query().convert()
    is_graph = isinstance(converted, Graph)
    graph = converted if is_graph else Graph().parse(data=converted, format="turtle")
    assert len(graph) == 10
    assert all(o == OWL.Class for o in graph.objects(None, RDF.type))


def test_sparqlwrapper_ask(live_server: LiveServer) -> None:
    assert wrapper(live_server, "ASK { ?c a owl:Class }", JSON).query().convert()["boolean"] is True


def test_rdflib_sparqlstore(each_store_server: LiveServer) -> None:
    store = SPARQLStore(query_endpoint=each_store_server.url + "/sparql", returnFormat="xml")
    graph = Graph(store=store)
    classes = {row[0] for row in graph.query("SELECT ?c WHERE { ?c a owl:Class } LIMIT 5")}
    assert len(classes) == 5
    assert all(isinstance(c, URIRef) for c in classes)
    triples = list(graph.triples((None, RDF.type, OWL.Class)))
    assert len(triples) >= 5
    assert (next(iter(classes)), RDF.type, OWL.Class) in graph
    store.close()


def test_rdflib_sparqlstore_json(live_server: LiveServer) -> None:
    store = SPARQLStore(query_endpoint=live_server.url + "/sparql", returnFormat="json")
    result = Graph(store=store).query("ASK { ?c a owl:Class }")
    assert result.askAnswer is True
    store.close()
