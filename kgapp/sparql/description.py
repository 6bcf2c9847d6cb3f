"""The endpoint's SPARQL 1.1 Service Description and the dataset's VoID description.

Both are built from the build information and a few named queries over the current store, as
lists of triples, and serialized in whatever RDF format was negotiated.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kgapp import queries
from kgapp.formats import Format, answer_formats
from kgapp.namespaces import RDF_TYPE, SD, VOID
from kgapp.store import KnowledgeStore

TYPE = ox.NamedNode(RDF_TYPE)
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
XSD_DATE_TIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
DCTERMS = "http://purl.org/dc/terms/"
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT")
DATASET_TITLE = "Hong Kong–United States relations"
DATASET_DESCRIPTION = (
    "Actors, laws, agreements, measures, events and statements in the relations between Hong Kong "
    "and the United States, each fact tied to the source document that states it."
)


@dataclass(frozen=True)
class Links:
    """Absolute URLs of what the descriptions point to."""

    endpoint: str
    void: str
    dumps: list[str]
    update: str | None = None  # the SPARQL Update endpoint, where writes are taken


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_INTEGER)


def result_formats() -> list[Format]:
    """Every format a query answer can be given in, each once (the page is not one)."""
    found: dict[str, Format] = {}
    for form in QUERY_FORMS:
        for fmt in answer_formats(form):
            if fmt.w3c_iri:
                found.setdefault(fmt.media_type, fmt)
    return list(found.values())


def service_description(store: KnowledgeStore, links: Links, license_iri: str) -> list[ox.Triple]:
    """An ``sd:Service`` for the endpoint with its default dataset and named graphs."""
    service = _iri(links.endpoint)
    dataset, default = ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(service, TYPE, _iri(SD.Service)),
        ox.Triple(service, _iri(SD.endpoint), service),
        ox.Triple(service, _iri(SD.supportedLanguage), _iri(SD.SPARQL11Query)),
        ox.Triple(service, _iri(SD.feature), _iri(SD.EmptyGraphs)),
        *(ox.Triple(service, _iri(SD.resultFormat), _iri(f.w3c_iri or "")) for f in result_formats()),
        ox.Triple(service, _iri(SD.defaultDataset), dataset),
        ox.Triple(dataset, TYPE, _iri(SD.Dataset)),
        ox.Triple(dataset, _iri(DCTERMS + "license"), _iri(license_iri)),
        ox.Triple(dataset, _iri(VOID.sparqlEndpoint), service),
        ox.Triple(dataset, _iri(SD.defaultGraph), default),
        ox.Triple(default, TYPE, _iri(SD.Graph)),
        ox.Triple(default, _iri(VOID.triples), _integer(statistics(store).triples)),
    ]
    if links.update:
        writes = _iri(links.update)
        triples += [
            ox.Triple(writes, TYPE, _iri(SD.Service)),
            ox.Triple(writes, _iri(SD.endpoint), writes),
            ox.Triple(writes, _iri(SD.supportedLanguage), _iri(SD.SPARQL11Update)),
            ox.Triple(writes, _iri(SD.defaultDataset), dataset),
        ]
    for name in store.graph_names():
        named, inner = ox.BlankNode(), ox.BlankNode()
        triples += [
            ox.Triple(dataset, _iri(SD.namedGraph), named),
            ox.Triple(named, TYPE, _iri(SD.NamedGraph)),
            ox.Triple(named, _iri(SD.name), _iri(name)),
            ox.Triple(named, _iri(SD.graph), inner),
            ox.Triple(inner, TYPE, _iri(SD.Graph)),
            ox.Triple(inner, _iri(VOID.triples), _integer(store.info.graphs[name])),
        ]
    return triples


def void_description(store: KnowledgeStore, links: Links, license_iri: str) -> list[ox.Triple]:
    """A ``void:Dataset`` with its size, partitions, vocabularies, endpoint and dumps."""
    namespaces = store.namespaces
    dataset = _iri(namespaces.dataset_iri)  # the same IRI on every host that serves it
    triples = [
        ox.Triple(dataset, TYPE, _iri(VOID.Dataset)),
        ox.Triple(dataset, _iri(DCTERMS + "title"), ox.Literal(DATASET_TITLE, language="en")),
        ox.Triple(dataset, _iri(DCTERMS + "description"), ox.Literal(DATASET_DESCRIPTION, language="en")),
        ox.Triple(dataset, _iri(DCTERMS + "license"), _iri(license_iri)),
        ox.Triple(
            dataset, _iri(DCTERMS + "modified"), ox.Literal(store.info.built_at, datatype=XSD_DATE_TIME)
        ),
        ox.Triple(dataset, _iri(VOID.sparqlEndpoint), _iri(links.endpoint)),
        *(ox.Triple(dataset, _iri(VOID.dataDump), _iri(dump)) for dump in links.dumps),
        ox.Triple(dataset, _iri(VOID.uriSpace), ox.Literal(str(namespaces.entity))),
        ox.Triple(dataset, _iri(VOID.rootResource), _iri(namespaces.ontology_iri)),
    ]
    return triples + _statistics_triples(dataset, statistics(store))


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


def statistics(store: KnowledgeStore) -> Statistics:
    """The build's statistics, from the named queries under ``queries/sparql/void_*``."""
    return store.memo(_statistics)


def _count(store: KnowledgeStore, name: str) -> int:
    rows = store.select(queries.load(name))
    return int(rows[0]["n"].value) if rows else 0


def _pairs(store: KnowledgeStore, name: str, key: str) -> list[tuple[str, int]]:
    return [(r[key].value, int(r["n"].value)) for r in store.select(queries.load(name))]


def _statistics(store: KnowledgeStore) -> Statistics:
    return Statistics(
        triples=_count(store, "sparql/void_triples"),
        entities=_count(store, "sparql/void_entities"),
        subjects=_count(store, "sparql/void_subjects"),
        objects=_count(store, "sparql/void_objects"),
        properties=_count(store, "sparql/void_properties"),
        classes=_pairs(store, "sparql/void_class_partitions", "class"),
        property_partitions=_pairs(store, "sparql/void_property_partitions", "property"),
        vocabularies=[r["vocabulary"].value for r in store.select(queries.load("sparql/void_vocabularies"))],
    )


def _statistics_triples(dataset: ox.NamedNode, stats: Statistics) -> list[ox.Triple]:
    triples = [
        ox.Triple(dataset, _iri(VOID.triples), _integer(stats.triples)),
        ox.Triple(dataset, _iri(VOID.entities), _integer(stats.entities)),
        ox.Triple(dataset, _iri(VOID.distinctSubjects), _integer(stats.subjects)),
        ox.Triple(dataset, _iri(VOID.distinctObjects), _integer(stats.objects)),
        ox.Triple(dataset, _iri(VOID.properties), _integer(stats.properties)),
        ox.Triple(dataset, _iri(VOID.classes), _integer(len(stats.classes))),
    ]
    for class_iri, entities in stats.classes:
        partition = ox.BlankNode()
        triples += [
            ox.Triple(dataset, _iri(VOID.classPartition), partition),
            ox.Triple(partition, _iri(VOID["class"]), _iri(class_iri)),
            ox.Triple(partition, _iri(VOID.entities), _integer(entities)),
        ]
    for property_iri, count in stats.property_partitions:
        partition = ox.BlankNode()
        triples += [
            ox.Triple(dataset, _iri(VOID.propertyPartition), partition),
            ox.Triple(partition, _iri(VOID.property), _iri(property_iri)),
            ox.Triple(partition, _iri(VOID.triples), _integer(count)),
        ]
    return triples + [ox.Triple(dataset, _iri(VOID.vocabulary), _iri(v)) for v in stats.vocabularies]
