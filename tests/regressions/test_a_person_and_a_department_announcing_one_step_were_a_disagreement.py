"""Regression: hkus:announcer was single-valued, so two sources naming different announcers of the
same step were listed as a disagreement. Pompeo (two reports) and the Department of Commerce (a
third) announcing that Hong Kong would face China's dual-use export restrictions both hold: a step
is often announced by a person and a body together, or by two bodies the same day. The announcer
is now an ordinary agent, each source's in its graph; a conflict is listed only for values that
cannot both be true, such as two days for one event."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal

from kgapp import queries
from kgapp.namespaces import Namespaces
from tests.conftest import PROJECT_ROOT

NS = Namespaces()
ANNOUNCEMENT_IN_TWO_SOURCES = """\
@prefix hkus: <https://w3id.org/hkus/ontology/> .
@prefix id: <https://w3id.org/hkus/id/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

GRAPH <https://w3id.org/hkus/graph/source/a> {
    id:step hkus:announcer id:mike-pompeo ; hkus:date "2020-06-29"^^xsd:date . }
GRAPH <https://w3id.org/hkus/graph/source/b> {
    id:step hkus:announcer id:us-department-of-commerce ; hkus:date "2020-06-30"^^xsd:date . }
GRAPH <https://w3id.org/hkus/graph/meta> {
    <https://w3id.org/hkus/graph/source/a> dcterms:source <https://w3id.org/hkus/source/a> .
    <https://w3id.org/hkus/graph/source/b> dcterms:source <https://w3id.org/hkus/source/b> . }
"""


def disagreeing_properties(ontology: Path) -> set[str]:
    store = ox.Store()
    store.load(ontology.read_bytes(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(NS.ontology_graph))
    store.load(ANNOUNCEMENT_IN_TWO_SOURCES.encode(), ox.RdfFormat.TRIG)
    solutions = store.query(queries.load("disagreements"), use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return {s["property"].value.rsplit("/", 1)[1] for s in solutions}


def test_two_announcers_of_one_step_are_no_disagreement_and_two_days_are() -> None:
    assert disagreeing_properties(PROJECT_ROOT / "ontology" / "hkus.ttl") == {"date"}


def test_the_announcer_is_not_marked_single_valued() -> None:
    ontology = Graph().parse(PROJECT_ROOT / "ontology" / "hkus.ttl")
    assert (NS.hkus.announcer, NS.hkus.singleValued, Literal(True)) not in ontology
