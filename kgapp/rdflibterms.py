"""pyoxigraph terms as rdflib terms and back, for the reference implementations (pySHACL, owlrl)
and the build's rdflib views; and the SHACL vocabulary as rdflib terms, derived from the one
home of IRIs (:mod:`kgapp.namespaces`). Only the pipeline imports rdflib; the web app and the
query processes never do.

A plain literal is ``xsd:string`` in pyoxigraph and has no datatype in rdflib; it is converted
to the form rdflib's own parsers produce, so the reference implementations see the data exactly
as they would had they parsed the files themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kgapp import namespaces
from kgapp.namespaces import XSD_STRING
from kgapp.rdfterms import OxTerm

SH = Namespace(namespaces.SH)


def to_rdflib(term: OxTerm | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=datatype, normalize=False)
    raise TypeError(f"RDF-star triple terms are not supported: {term}")


def to_ox(term: Node) -> OxTerm:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is None:
            return ox.Literal(str(term))
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    raise TypeError(f"not an RDF term: {term!r}")


def rdflib_graph(triples: Iterable[ox.Triple]) -> Graph:
    """An rdflib graph holding ``triples``."""
    graph = Graph()
    cache: dict[OxTerm, Node] = {}

    def convert(term: OxTerm) -> Node:
        found = cache.get(term)
        if found is None:
            found = cache[term] = to_rdflib(term)
        return found

    for triple in triples:
        graph.add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))  # type: ignore[arg-type]
    return graph


def ox_triples(graph: Graph) -> list[ox.Triple]:
    return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]  # type: ignore[arg-type]
