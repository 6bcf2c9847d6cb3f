"""OWL-RL reasoning with owlrl: the closure of ontology + data, minus the asserted, minus noise.

owlrl's closure contains triples no user asked for: literals as subjects, axioms about the
RDF/RDFS/OWL/XSD vocabularies themselves, and reflexive ``owl:sameAs``/``subClassOf``/
``subPropertyOf``/``equivalentClass``. They are dropped and counted so the report says how much.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import owlrl
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

W3C_VOCABULARIES = (str(RDF), str(RDFS), str(OWL), str(XSD))
REFLEXIVE_NOISE = {
    OWL.sameAs,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
}
TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource}
TRIVIAL_WHEN_OBJECT = {RDF.type, RDFS.subClassOf, RDFS.domain, RDFS.range}


@dataclass
class Inference:
    inferred: Graph
    dropped: Counter[str]


def noise_kind(s: Node, p: Node, o: Node) -> str | None:
    """Why an inferred triple is noise, or None when it is worth keeping."""
    if isinstance(s, Literal):
        return "literal subject"
    if str(s).startswith(W3C_VOCABULARIES):
        return "axiom about RDF/RDFS/OWL/XSD vocabulary"
    if p in REFLEXIVE_NOISE and s == o:
        return "reflexive " + p.n3().split("#")[-1].rstrip(">")
    if o in TRIVIAL_TYPES and p in TRIVIAL_WHEN_OBJECT:
        return "trivial (owl:Thing or rdfs:Resource as type, superclass, domain or range)"
    if p == RDF.type and str(o).startswith(W3C_VOCABULARIES) and o != OWL.Nothing:
        return "vocabulary typing (class, property, datatype, list…)"
    return None


def infer(ontology: Graph, data: Graph) -> Inference:
    """Triples OWL-RL entails from ontology + data that neither asserts, without noise."""
    asserted = Graph()
    asserted += ontology
    asserted += data
    closure = Graph()
    closure += asserted
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(
        closure
    )
    inferred = Graph()
    dropped: Counter[str] = Counter()
    for triple in closure:
        if triple in asserted:
            continue
        kind = noise_kind(*triple)
        if kind:
            dropped[kind] += 1
        else:
            inferred.add(triple)
    return Inference(inferred, dropped)
