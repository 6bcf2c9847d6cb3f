"""The ontology with all the data is consistent under a full OWL reasoner (HermiT, shipped in
owlready2) and its OWL-RL closure types nothing as owl:Nothing."""

from __future__ import annotations

from pathlib import Path

import owlready2
import owlrl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from kgapp.loader import load_project
from kgapp.namespaces import Namespaces
from kgapp.store import KnowledgeStore
from tests.system_tools import require

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Datatypes HermiT rejects (outside the OWL 2 datatype map). No axiom of ours constrains them,
# so they are handed to the reasoner as strings.
OUTSIDE_OWL2_MAP = {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.duration}


@pytest.fixture(scope="module")
def ontology_and_data() -> Graph:
    project = load_project(PROJECT_ROOT, Namespaces())
    graph = Graph()
    graph += project.ontology
    graph += project.data()
    return graph


def as_owl2(graph: Graph) -> Graph:
    converted = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype in OUTSIDE_OWL2_MAP:
            o = Literal(str(o), datatype=XSD.string)
        converted.add((s, p, o))
    return converted


@pytest.mark.slow
def test_hermit_finds_ontology_and_data_consistent(ontology_and_data: Graph, tmp_path: Path) -> None:
    require("java", "HermiT, the full OWL reasoner, runs on Java")
    path = tmp_path / "all.nt"
    as_owl2(ontology_and_data).serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []


@pytest.mark.slow
def test_hermit_detects_an_inconsistency(ontology_and_data: Graph, tmp_path: Path) -> None:
    """The reasoner test can fail: a person who is also a place is caught."""
    require("java", "HermiT, the full OWL reasoner, runs on Java")
    broken = as_owl2(ontology_and_data)
    broken.add((URIRef(Namespaces().entity["mike-pompeo"]), RDF.type, URIRef(Namespaces().hkus.City)))
    path = tmp_path / "broken.nt"
    broken.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)


@pytest.mark.slow
def test_owl_rl_closure_types_nothing_as_owl_nothing(ontology_and_data: Graph) -> None:
    closure = Graph()
    closure += ontology_and_data
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    assert list(closure.subjects(RDF.type, OWL.Nothing)) == []


def test_built_graph_has_no_owl_nothing(built_store: KnowledgeStore) -> None:
    rows = built_store.select("SELECT ?x WHERE { ?x a owl:Nothing }")
    assert rows == []
