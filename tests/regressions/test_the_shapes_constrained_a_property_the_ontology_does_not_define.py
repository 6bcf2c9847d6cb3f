"""Regression: the observation shape constrained hkus:publishedBy, a property the ontology never
defined and no data used (whom a source credits for a figure is on the figure's citation,
hkus:accordingTo). A shape on an undefined term checks nothing and misleads whoever reads the
shapes. Every term of ours that the shapes name, as a path or a class, is now a term of the
ontology; the constraint on hkus:publishedBy is gone."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from kgapp.namespaces import Namespaces
from kgapp.rdflibterms import SH
from tests.conftest import PROJECT_ROOT

NS = Namespaces()
DECLARATIONS = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)


def declared_terms() -> set[URIRef]:
    ontology = Graph()
    for name in ("hkus.ttl", "concepts.ttl"):
        ontology.parse(PROJECT_ROOT / "ontology" / name)
    return {s for kind in DECLARATIONS for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef)}


def our_terms_in_shapes() -> set[URIRef]:
    shapes = Graph().parse(PROJECT_ROOT / "shapes" / "hkus.ttl")
    named = {
        o
        for p in (SH.path, SH["class"], SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.hasValue)
        for o in shapes.objects(None, p)
    }
    named |= {o for path in shapes.objects(None, SH.alternativePath) for o in shapes.items(path)}
    return {t for t in named if isinstance(t, URIRef) and str(t).startswith(str(NS.hkus))}


def test_every_term_the_shapes_name_is_defined_by_the_ontology() -> None:
    named = our_terms_in_shapes()
    assert URIRef(NS.hkus.Event) in named, "the shapes should name our terms"
    assert named - declared_terms() == set()


def test_published_by_is_named_nowhere() -> None:
    assert "publishedBy" not in (PROJECT_ROOT / "shapes" / "hkus.ttl").read_text(encoding="utf-8")
