"""Provenance: every fact names its source in that source's own graph, the fact-sources query
finds who states a triple, and the one disagreement rule lists every disagreement — the build
keeps what it finds and the conflict shape warns of the same."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kgapp.config import Settings
from kgapp.loader import load_project
from kgapp.namespaces import Namespaces
from kgapp.store import KnowledgeStore
from kgapp.validation import validate_project

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NS = Namespaces()
HKUS = Namespace(NS.hkus)  # rdflib terms, for the rdflib graphs these tests read
SOURCE_FILES = sorted((PROJECT_ROOT / "graph" / "sources").glob("*.ttl"))


def query_text(name: str) -> str:
    return (resources.files("kgapp.queries") / name).read_text(encoding="utf-8")


def test_there_is_a_source_file_for_each_source_document() -> None:
    """Counted from the data, not fixed: a source added by a write has a file too."""
    documents = set()
    for path in [PROJECT_ROOT / "graph" / "entities.ttl", *SOURCE_FILES]:
        documents |= {str(d) for d in Graph().parse(path).subjects(RDF.type, HKUS.SourceDocument)}
    assert SOURCE_FILES
    assert {str(NS.source) + path.stem for path in SOURCE_FILES} == documents


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda p: p.stem)
def test_source_file_cites_only_its_own_document(path: Path) -> None:
    graph = Graph().parse(path)
    document = URIRef(str(NS.source) + path.stem)
    assert (document, RDF.type, HKUS.SourceDocument) in graph, f"{path.name} must describe {document}"
    cited = set(graph.objects(None, HKUS.statedIn))
    assert cited == {document}


@pytest.fixture(scope="module")
def fact_classes() -> set[URIRef]:
    """hkus:Fact and every class under it, read from the ontology."""
    ontology = Graph().parse(PROJECT_ROOT / "ontology" / "hkus.ttl")
    return {URIRef(str(c)) for c in ontology.transitive_subjects(RDFS.subClassOf, HKUS.Fact)}


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda p: p.stem)
def test_every_typed_fact_in_a_source_file_names_the_source(path: Path, fact_classes: set[URIRef]) -> None:
    graph = Graph().parse(path)
    document = URIRef(str(NS.source) + path.stem)
    facts = {s for s, o in graph.subject_objects(RDF.type) if o in fact_classes}
    assert facts, f"{path.name} types no fact"
    unsourced = [str(s) for s in facts if (s, HKUS.statedIn, document) not in graph]
    assert unsourced == []


def described_things(graph: Graph, document: URIRef) -> set[Node]:
    """What a source file says something about: every subject but the document itself, its
    citations and the OWL axioms it writes as blank nodes (a negative property assertion)."""
    citations = set(graph.objects(None, HKUS.citation))
    axioms = set(graph.subjects(RDF.type, OWL.NegativePropertyAssertion))
    return set(graph.subjects()) - {document} - citations - axioms


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda p: p.stem)
def test_everything_a_source_file_describes_is_cited_in_it(path: Path) -> None:
    """Each fact or thing the file says something about carries a citation of this document
    with the paragraphs that say it, so pages can show the supporting passage."""
    graph = Graph().parse(path)
    document = URIRef(str(NS.source) + path.stem)
    uncited = [
        str(thing)
        for thing in described_things(graph, document)
        if not any(
            (citation, HKUS.inDocument, document) in graph and (citation, HKUS.paragraph, None) in graph
            for citation in graph.objects(thing, HKUS.citation)
        )
    ]
    assert uncited == []


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda p: p.stem)
def test_a_source_file_cites_only_its_own_document(path: Path) -> None:
    graph = Graph().parse(path)
    document = URIRef(str(NS.source) + path.stem)
    assert set(graph.objects(None, HKUS.inDocument)) == {document}


def conflict_rows(store: KnowledgeStore) -> list[dict[str, ox.NamedNode | ox.Literal]]:
    return store.select(query_text("disagreements.rq"))


EXPECTED_DISAGREEMENTS = {
    ("event-nsl-entry-into-force", "date"),
    ("event-us-defence-export-ban-announcement", "date"),
    ("figure-us-exports-to-hong-kong-2018", "value"),
}


def local(iri: str) -> str:
    return iri.rsplit("/", 1)[1]


def test_the_disagreement_rule_lists_every_disagreement(built_store: KnowledgeStore) -> None:
    rows = conflict_rows(built_store)
    pairs = {(local(r["subject"].value), local(r["property"].value)) for r in rows}
    assert pairs == EXPECTED_DISAGREEMENTS
    exports = {
        (r["value"].value, local(r["source"].value))
        for r in rows
        if r["subject"].value.endswith("figure-us-exports-to-hong-kong-2018")
    }
    assert exports == {
        ("37300000000", "us-bans-sensitive-tech-exports"),
        ("12800000000", "hong-kong-united-states-relations"),
    }


def test_the_build_keeps_what_the_rule_finds(built_store: KnowledgeStore) -> None:
    """Pages read the disagreements the build computed, not a rule of their own."""
    kept = {(local(d.subject), local(d.property)) for d in built_store.disagreements}
    assert kept == EXPECTED_DISAGREEMENTS
    exports = next(d for d in built_store.disagreements if d.subject.endswith("exports-to-hong-kong-2018"))
    assert {c.value["value"]: [local(s) for s in c.sources] for c in exports.claims} == {
        "37300000000": ["us-bans-sensitive-tech-exports"],
        "12800000000": ["hong-kong-united-states-relations"],
    }


def test_the_shape_warns_of_exactly_the_disagreements_the_build_keeps(built_settings: Settings) -> None:
    project = load_project(built_settings.project_root, built_settings.namespaces)
    report = validate_project(project)
    disputed = [
        (w.focus, w.message.removeprefix("Sources disagree on ").split(": ")[0]) for w in report.warnings
    ]
    warned = {(local(focus), prop) for focus, prop in disputed}
    assert {(s, str(NS.hkus) + p) for s, p in EXPECTED_DISAGREEMENTS} == warned


def test_disagreement_rows_carry_the_agreed_variables(built_store: KnowledgeStore) -> None:
    assert all(set(row) == {"subject", "property", "value", "source"} for row in conflict_rows(built_store))


def test_precision_is_not_a_disagreement(built_store: KnowledgeStore) -> None:
    """'Late May' (2020-05) and '29 May' (2020-05-29) corroborate each other."""
    subjects = {r["subject"].value for r in conflict_rows(built_store)}
    assert str(NS.entity) + "event-trump-special-status-announcement" not in subjects


def test_fact_sources_names_every_document_that_states_a_triple(built_store: KnowledgeStore) -> None:
    bindings = {
        "s": ox.NamedNode(str(NS.entity) + "event-us-defence-export-ban-announcement"),
        "p": ox.NamedNode(str(NS.hkus) + "date"),
        "o": ox.Literal("2020-06-29", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    }
    rows = built_store.select(query_text("fact_sources.rq"), bindings=bindings)
    assert sorted(r["source"].value.rsplit("/", 1)[1] for r in rows) == [
        "us-bans-sensitive-tech-exports",
        "us-ends-defense-exports-over-nsl",
        "us-ends-sensitive-defence-exports",
    ]
    assert all("title" in r and "published" in r for r in rows)


def citations_of(store: KnowledgeStore, name: str) -> list[dict[str, ox.NamedNode | ox.Literal]]:
    return store.select(query_text("citations.rq"), bindings={"this": ox.NamedNode(str(NS.entity) + name)})


def test_citations_give_each_source_its_paragraph_and_its_credit(built_store: KnowledgeStore) -> None:
    rows = citations_of(built_store, "figure-us-exports-to-hong-kong-2018")
    found = {(r["source"].value.rsplit("/", 1)[1], r["paragraph"].value, r.get("accordingTo")) for r in rows}
    assert found == {
        ("us-bans-sensitive-tech-exports", "9", ox.NamedNode(str(NS.entity) + "ustr")),
        ("hong-kong-united-states-relations", "40", None),
    }


def test_citations_pair_each_quotation_with_the_source_that_prints_it(built_store: KnowledgeStore) -> None:
    rows = citations_of(built_store, "statement-pompeo-cannot-distinguish")
    by_source = {r["source"].value.rsplit("/", 1)[1]: r["quote"].value for r in rows}
    assert len(by_source) == 4
    assert by_source["us-ends-defense-exports-over-nsl"].endswith("mainland China.")
    assert not by_source["us-bans-sensitive-tech-exports"].endswith(".")


ONE_BLOCK_MISPAIRS = """
PREFIX hkus: <https://w3id.org/hkus/ontology/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?graph ?source ?document WHERE {
  GRAPH ?graph { ?thing ?property ?value ; hkus:citation/hkus:inDocument ?source }
  ?graph dcterms:source ?document .
  FILTER (?source != ?document)
}"""


def test_a_value_and_its_source_pair_in_one_graph_block_without_the_meta_graph(
    built_store: KnowledgeStore,
) -> None:
    """The documented one-step pattern: in a source's graph, a value sits with the citation of that
    source only, so GRAPH ?g { ?s ?p ?value ; hkus:citation/hkus:inDocument ?source } never pairs a
    value with another source's document."""
    assert built_store.select(ONE_BLOCK_MISPAIRS) == []
    rows = built_store.select(
        """SELECT ?value ?source WHERE { GRAPH ?g { id:figure-us-exports-to-hong-kong-2018 hkus:value ?value ;
             hkus:citation/hkus:inDocument ?source } }"""
    )
    assert {(r["value"].value, local(r["source"].value)) for r in rows} == {
        ("37300000000", "us-bans-sensitive-tech-exports"),
        ("12800000000", "hong-kong-united-states-relations"),
    }
