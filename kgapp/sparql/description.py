"""The endpoint's SPARQL 1.1 Service Description and the dataset's VoID description.

Both are built from the build information and a few named queries over the current store, as
rdflib graphs, and serialized in whatever RDF format was negotiated.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from kgapp import queries
from kgapp.namespaces import SD, VOID, Namespaces
from kgapp.sparql.formats import GRAPH_FORMATS, SOLUTION_FORMATS
from kgapp.store import KnowledgeStore

FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
    "application/trig": "TriG",
    "application/n-quads": "N-Quads",
}


@dataclass(frozen=True)
class Links:
    """Absolute URLs of what the descriptions point to."""

    endpoint: str
    void: str
    dumps: list[str]


def _bind(graph: Graph, namespaces: Namespaces) -> None:
    for prefix, iri in namespaces.prefixes.items():
        graph.bind(prefix, iri, override=True)
    graph.bind("sd", str(SD))


def _term(value: object) -> str:
    return value.value if hasattr(value, "value") else str(value)


def service_description(store: KnowledgeStore, links: Links, license_iri: str) -> Graph:
    """An ``sd:Service`` for the endpoint with its default dataset and named graphs."""
    namespaces = store.namespaces
    graph = Graph()
    _bind(graph, namespaces)
    service = URIRef(links.endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.EmptyGraphs))
    listed = {f.media_type for f in (*SOLUTION_FORMATS, *GRAPH_FORMATS)}
    for media_type, name in RESULT_FORMAT_IRIS.items():
        if media_type in listed:
            graph.add((service, SD.resultFormat, URIRef(FORMATS + name)))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, DCTERMS.license, URIRef(license_iri)))
    graph.add((dataset, VOID.sparqlEndpoint, service))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    counts = store.info.graphs
    graph.add((default, VOID.triples, _integer(statistics(store).triples)))
    for name in store.graph_names():
        named = BNode()
        inner = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, inner))
        graph.add((inner, RDF.type, SD.Graph))
        graph.add((inner, VOID.triples, _integer(counts[name])))
    return graph


def void_description(store: KnowledgeStore, links: Links, license_iri: str) -> Graph:
    """A ``void:Dataset`` with its size, partitions, vocabularies, endpoint and dumps."""
    namespaces = store.namespaces
    graph = Graph()
    _bind(graph, namespaces)
    dataset = URIRef(links.void + "#dataset")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("Hong Kong–United States relations", lang="en")))
    graph.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "Actors, laws, agreements, measures, events and statements in the relations "
                "between Hong Kong and the United States, each fact tied to the source "
                "document that states it.",
                lang="en",
            ),
        )
    )
    graph.add((dataset, DCTERMS.license, URIRef(license_iri)))
    graph.add((dataset, DCTERMS.modified, Literal(store.info.built_at, datatype=XSD.dateTime)))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(links.endpoint)))
    for dump in links.dumps:
        graph.add((dataset, VOID.dataDump, URIRef(dump)))
    graph.add((dataset, VOID.uriSpace, Literal(str(namespaces.entity))))
    graph.add((dataset, VOID.rootResource, URIRef(namespaces.ontology_iri)))
    _add_statistics(graph, dataset, store)
    return graph


@dataclass(frozen=True)
class Statistics:
    """Counts over the default graph (distinct triples), computed once per build."""

    triples: int
    entities: int
    subjects: int
    objects: int
    properties: int
    classes: list[tuple[str, int]]
    property_partitions: list[tuple[str, int]]
    vocabularies: list[str]


_statistics: dict[Path, Statistics] = {}
_statistics_lock = threading.Lock()


def _count(store: KnowledgeStore, name: str) -> int:
    rows = store.select(queries.load(name))
    return int(_term(rows[0]["n"])) if rows else 0


def _pairs(store: KnowledgeStore, name: str, key: str) -> list[tuple[str, int]]:
    return [(_term(r[key]), int(_term(r["n"]))) for r in store.select(queries.load(name))]


def statistics(store: KnowledgeStore) -> Statistics:
    """The build's statistics, from the named queries under ``queries/sparql/void_*``."""
    with _statistics_lock:
        if store.build_dir not in _statistics:
            _statistics.clear()
            _statistics[store.build_dir] = Statistics(
                triples=_count(store, "sparql/void_triples"),
                entities=_count(store, "sparql/void_entities"),
                subjects=_count(store, "sparql/void_subjects"),
                objects=_count(store, "sparql/void_objects"),
                properties=_count(store, "sparql/void_properties"),
                classes=_pairs(store, "sparql/void_class_partitions", "class"),
                property_partitions=_pairs(store, "sparql/void_property_partitions", "property"),
                vocabularies=[
                    _term(r["vocabulary"]) for r in store.select(queries.load("sparql/void_vocabularies"))
                ],
            )
        return _statistics[store.build_dir]


def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _add_statistics(graph: Graph, dataset: URIRef, store: KnowledgeStore) -> None:
    stats = statistics(store)
    graph.add((dataset, VOID.triples, _integer(stats.triples)))
    graph.add((dataset, VOID.entities, _integer(stats.entities)))
    graph.add((dataset, VOID.distinctSubjects, _integer(stats.subjects)))
    graph.add((dataset, VOID.distinctObjects, _integer(stats.objects)))
    graph.add((dataset, VOID.properties, _integer(stats.properties)))
    graph.add((dataset, VOID.classes, _integer(len(stats.classes))))
    for class_iri, entities in stats.classes:
        partition = BNode()
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(class_iri)))
        graph.add((partition, VOID.entities, _integer(entities)))
    for property_iri, triples in stats.property_partitions:
        partition = BNode()
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, URIRef(property_iri)))
        graph.add((partition, VOID.triples, _integer(triples)))
    for vocabulary in stats.vocabularies:
        graph.add((dataset, VOID.vocabulary, URIRef(vocabulary)))
