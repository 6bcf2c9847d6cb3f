"""Regression: the article's denial that the consulate general in Hong Kong is subordinate to the
US embassy in Beijing, kept as an OWL negative property assertion, was the one fact in a source
graph with no citation: the provenance check leaves such axioms out of "everything described", so
nothing caught it, and the denials on the consulate's page had no paragraph to show. Each negative
property assertion in a source file now carries a citation of that document with its paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF

from kgapp.namespaces import Namespaces

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NS = Namespaces()
HKUS = Namespace(NS.hkus)  # rdflib terms, for the rdflib graphs these tests read
SOURCE_FILES = sorted((PROJECT_ROOT / "graph" / "sources").glob("*.ttl"))


def test_there_is_a_denial_to_check() -> None:
    denials = [
        axiom
        for path in SOURCE_FILES
        for axiom in Graph().parse(path).subjects(RDF.type, OWL.NegativePropertyAssertion)
    ]
    assert denials, "no negative property assertion found in the source files"


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda p: p.stem)
def test_every_negative_property_assertion_is_cited_to_its_paragraph(path: Path) -> None:
    graph = Graph().parse(path)
    document = URIRef(str(NS.source) + path.stem)
    uncited = [
        str(graph.value(axiom, OWL.sourceIndividual))
        for axiom in graph.subjects(RDF.type, OWL.NegativePropertyAssertion)
        if not any(
            (citation, HKUS.inDocument, document) in graph and (citation, HKUS.paragraph, None) in graph
            for citation in graph.objects(axiom, HKUS.citation)
        )
    ]
    assert uncited == []


def test_the_consulate_denial_cites_the_consulates_paragraph() -> None:
    graph = Graph().parse(PROJECT_ROOT / "graph" / "sources" / "hong-kong-united-states-relations.ttl")
    consulate = URIRef(str(NS.entity) + "us-consulate-general-hong-kong")
    paragraphs = {
        int(paragraph)
        for axiom in graph.subjects(OWL.sourceIndividual, consulate)
        for citation in graph.objects(axiom, HKUS.citation)
        for paragraph in graph.objects(citation, HKUS.paragraph)
    }
    assert paragraphs == {36}
