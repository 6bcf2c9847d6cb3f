"""Terms as small integers: the rule engine joins on ints, the store gets pyoxigraph terms back."""

from __future__ import annotations

import pyoxigraph as ox

from kgapp.rdfterms import OxTerm

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"

# The vocabulary the rules read, interned first so that each has a fixed id (its position).
VOCABULARY = (
    RDF + "type", RDF + "first", RDF + "rest", RDF + "nil",
    RDFS + "subClassOf", RDFS + "subPropertyOf", RDFS + "domain", RDFS + "range",
    OWL + "sameAs", OWL + "differentFrom", OWL + "AllDifferent", OWL + "members", OWL + "distinctMembers",
    OWL + "FunctionalProperty", OWL + "InverseFunctionalProperty", OWL + "IrreflexiveProperty",
    OWL + "SymmetricProperty", OWL + "AsymmetricProperty", OWL + "TransitiveProperty",
    OWL + "propertyChainAxiom", OWL + "equivalentProperty", OWL + "propertyDisjointWith",
    OWL + "AllDisjointProperties", OWL + "inverseOf", OWL + "hasKey", OWL + "sourceIndividual",
    OWL + "assertionProperty", OWL + "targetIndividual", OWL + "targetValue",
    OWL + "Thing", OWL + "Nothing", OWL + "Class", OWL + "intersectionOf", OWL + "unionOf",
    OWL + "complementOf", OWL + "someValuesFrom", OWL + "allValuesFrom", OWL + "hasValue",
    OWL + "onProperty", OWL + "onClass", OWL + "maxCardinality", OWL + "maxQualifiedCardinality",
    OWL + "oneOf", OWL + "equivalentClass", OWL + "disjointWith", OWL + "AllDisjointClasses",
    OWL + "ObjectProperty", OWL + "DatatypeProperty", RDF + "Property",
)  # fmt: skip
(
    TYPE, FIRST, REST, NIL, SUBCLASS, SUBPROPERTY, DOMAIN, RANGE, SAME_AS, DIFFERENT_FROM,
    ALL_DIFFERENT, MEMBERS, DISTINCT_MEMBERS, FUNCTIONAL, INVERSE_FUNCTIONAL, IRREFLEXIVE,
    SYMMETRIC, ASYMMETRIC, TRANSITIVE, CHAIN, EQUIVALENT_PROPERTY, PROPERTY_DISJOINT,
    ALL_DISJOINT_PROPERTIES, INVERSE_OF, HAS_KEY, SOURCE_INDIVIDUAL, ASSERTION_PROPERTY,
    TARGET_INDIVIDUAL, TARGET_VALUE, THING, NOTHING, CLASS, INTERSECTION_OF, UNION_OF,
    COMPLEMENT_OF, SOME_VALUES_FROM, ALL_VALUES_FROM, HAS_VALUE, ON_PROPERTY, ON_CLASS,
    MAX_CARDINALITY, MAX_QUALIFIED_CARDINALITY, ONE_OF, EQUIVALENT_CLASS, DISJOINT_WITH,
    ALL_DISJOINT_CLASSES, OBJECT_PROPERTY, DATATYPE_PROPERTY, RDF_PROPERTY,
) = range(len(VOCABULARY))  # fmt: skip

IntTriple = tuple[int, int, int]


class TermTable:
    """Two-way map between pyoxigraph terms and ints; ids are stable for the table's life."""

    def __init__(self, terms: list[OxTerm] | None = None) -> None:
        self.terms: list[OxTerm] = terms if terms is not None else [ox.NamedNode(v) for v in VOCABULARY]
        self.ids: dict[OxTerm, int] = {t: i for i, t in enumerate(self.terms)}

    def id(self, term: OxTerm) -> int:
        found = self.ids.get(term)
        if found is None:
            found = self.ids[term] = len(self.terms)
            self.terms.append(term)
        return found

    def encode(self, triple: ox.Triple) -> IntTriple:
        return (self.id(triple.subject), self.id(triple.predicate), self.id(triple.object))  # type: ignore[arg-type]

    def decode(self, triple: IntTriple) -> ox.Triple:
        s, p, o = triple
        return ox.Triple(self.terms[s], self.terms[p], self.terms[o])  # type: ignore[arg-type]

    def is_literal(self, term_id: int) -> bool:
        return isinstance(self.terms[term_id], ox.Literal)
