"""Random small graphs over the OWL 2 RL vocabulary, for comparing a reasoner with owlrl."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import strategies as st

EX = "http://example.org/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"

INDIVIDUALS = [ox.NamedNode(EX + n) for n in ("a", "b", "c")]
CLASSES = [ox.NamedNode(EX + n) for n in ("A", "B", "C")]
PROPERTIES = [ox.NamedNode(EX + n) for n in ("p", "q", "r")]
TYPE = ox.NamedNode(RDF + "type")


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


individual = st.sampled_from(INDIVIDUALS)
klass = st.sampled_from(CLASSES)
prop = st.sampled_from(PROPERTIES)

fact = st.one_of(
    st.builds(lambda s, p, o: [ox.Triple(s, p, o)], individual, prop, individual),
    st.builds(lambda s, c: [ox.Triple(s, TYPE, c)], individual, klass),
    st.builds(lambda s, o: [ox.Triple(s, n(OWL + "sameAs"), o)], individual, individual),
)
property_axiom = st.one_of(
    st.builds(lambda p, q: [ox.Triple(p, n(RDFS + "subPropertyOf"), q)], prop, prop),
    st.builds(lambda p, c: [ox.Triple(p, n(RDFS + "domain"), c)], prop, klass),
    st.builds(lambda p, c: [ox.Triple(p, n(RDFS + "range"), c)], prop, klass),
    st.builds(lambda p, q: [ox.Triple(p, n(OWL + "inverseOf"), q)], prop, prop),
    st.builds(lambda p, q: [ox.Triple(p, n(OWL + "equivalentProperty"), q)], prop, prop),
    st.builds(
        lambda p, kind: [ox.Triple(p, TYPE, n(OWL + kind))],
        prop,
        st.sampled_from(
            [
                "TransitiveProperty",
                "SymmetricProperty",
                "FunctionalProperty",
                "InverseFunctionalProperty",
                "ObjectProperty",
            ]
        ),
    ),
)
class_axiom = st.one_of(
    st.builds(lambda c, d: [ox.Triple(c, n(RDFS + "subClassOf"), d)], klass, klass),
    st.builds(lambda c, d: [ox.Triple(c, n(OWL + "equivalentClass"), d)], klass, klass),
    st.builds(lambda c: [ox.Triple(c, TYPE, n(OWL + "Class"))], klass),
)


def rdf_list(head: str, members: list[ox.NamedNode]) -> list[ox.Triple]:
    triples, node = [], ox.BlankNode(head)
    for i, member in enumerate(members):
        rest = ox.BlankNode(f"{head}-{i + 1}") if i + 1 < len(members) else n(RDF + "nil")
        triples += [ox.Triple(node, n(RDF + "first"), member), ox.Triple(node, n(RDF + "rest"), rest)]
        node = rest  # type: ignore[assignment]
    return triples


@st.composite
def structured_axiom(draw: st.DrawFn) -> list[ox.Triple]:
    """An axiom with a list or a restriction (a fresh blank node each)."""
    label = f"x{draw(st.integers(0, 10**6))}"
    kind = draw(st.sampled_from(["chain", "intersection", "union", "some", "all", "value", "max1"]))
    if kind == "chain":
        steps = draw(st.lists(prop, min_size=2, max_size=3))
        return [
            ox.Triple(draw(prop), n(OWL + "propertyChainAxiom"), ox.BlankNode(label)),
            *rdf_list(label, steps),
        ]
    if kind in ("intersection", "union"):
        members = draw(st.lists(klass, min_size=2, max_size=3, unique=True))
        predicate = n(OWL + ("intersectionOf" if kind == "intersection" else "unionOf"))
        return [ox.Triple(draw(klass), predicate, ox.BlankNode(label)), *rdf_list(label, members)]
    restriction = ox.BlankNode(label)
    triples = [ox.Triple(restriction, n(OWL + "onProperty"), draw(prop))]
    if kind == "some":
        triples.append(ox.Triple(restriction, n(OWL + "someValuesFrom"), draw(klass)))
    elif kind == "all":
        triples.append(ox.Triple(restriction, n(OWL + "allValuesFrom"), draw(klass)))
    elif kind == "value":
        triples.append(ox.Triple(restriction, n(OWL + "hasValue"), draw(individual)))
    else:
        one = ox.Literal("1", datatype=n("http://www.w3.org/2001/XMLSchema#nonNegativeInteger"))
        triples.append(ox.Triple(restriction, n(OWL + "maxCardinality"), one))
    use = draw(st.sampled_from(["sub", "super", "equivalent"]))
    c = draw(klass)
    if use == "sub":
        triples.append(ox.Triple(restriction, n(RDFS + "subClassOf"), c))
    elif use == "super":
        triples.append(ox.Triple(c, n(RDFS + "subClassOf"), restriction))
    else:
        triples.append(ox.Triple(c, n(OWL + "equivalentClass"), restriction))
    return triples


def _apart(
    index: int, term: ox.NamedNode | ox.BlankNode | ox.Literal
) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    return ox.BlankNode(f"axiom{index}-{term.value}") if isinstance(term, ox.BlankNode) else term


def _joined(parts: list[list[ox.Triple]]) -> list[ox.Triple]:
    """The axioms' triples, the blank nodes of each axiom its own (drawn labels may repeat)."""
    return [
        ox.Triple(_apart(i, t.subject), t.predicate, _apart(i, t.object))  # type: ignore[arg-type]
        for i, part in enumerate(parts)
        for t in part
    ]


ontologies = st.lists(st.one_of(property_axiom, class_axiom, structured_axiom()), min_size=1, max_size=6).map(
    _joined
)
datasets = st.lists(fact, min_size=2, max_size=16).map(lambda parts: [t for part in parts for t in part])
