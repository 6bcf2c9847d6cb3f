"""The RDF 1.2 statement annotations (kgapp/queries/statement_annotations.rq) pair each value with
the documents that state it, so competing values never pair with the wrong source."""

from __future__ import annotations

import pyoxigraph as ox

from kgapp import queries
from kgapp.store import KnowledgeStore

VALUE_AND_SOURCE = """
PREFIX hkus: <https://w3id.org/hkus/ontology/>
PREFIX id: <https://w3id.org/hkus/id/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?value ?source WHERE {
  << id:figure-us-exports-to-hong-kong-2018 hkus:value ?value >> dcterms:source ?source
}
"""


def annotated(store: KnowledgeStore) -> ox.Store:
    triples = store.query(queries.load("statement_annotations"))
    assert isinstance(triples, ox.QueryTriples)
    annotations = ox.Store()
    annotations.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return annotations


def test_one_pattern_pairs_each_competing_value_with_its_own_source(built_store: KnowledgeStore) -> None:
    solutions = annotated(built_store).query(VALUE_AND_SOURCE)
    assert isinstance(solutions, ox.QuerySolutions)
    pairs = {(s["value"].value, s["source"].value.rsplit("/", 1)[1]) for s in solutions}
    assert pairs == {
        ("37300000000", "us-bans-sensitive-tech-exports"),
        ("12800000000", "hong-kong-united-states-relations"),
    }


def test_every_statement_of_every_source_is_annotated(built_store: KnowledgeStore) -> None:
    """One reifier per triple and source document: as many as the source graphs hold quads."""
    stated = sum(1 for quad in built_store.quads() if "/graph/source/" in quad.graph_name.value)
    source = ox.NamedNode("http://purl.org/dc/terms/source")
    reifiers = sum(1 for _ in annotated(built_store).quads_for_pattern(None, source, None, None))
    assert reifiers == stated
