"""RDF terms in the other shapes the project needs, both ways: pyoxigraph terms (what the build
parses and the store holds) as rdflib terms (what the reference implementations, pySHACL and
owlrl, read) and as SPARQL 1.1 Query Results JSON objects (query answers, the query page's
table, the disagreements kept with a build).

A plain literal is ``xsd:string`` in pyoxigraph and has no datatype in rdflib; it is converted
to the form rdflib's own parsers produce, so the reference implementations see the data exactly
as they would had they parsed the files themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
TRIPLE_PARTS = ("subject", "predicate", "object")

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


# rdflib ------------------------------------------------------------------------------------------
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


# SPARQL 1.1 Query Results JSON ---------------------------------------------------------------------
def term_json(term: Any) -> dict[str, Any]:
    """One RDF term as SPARQL 1.1 Query Results JSON."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        literal: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            literal["xml:lang"] = term.language
        elif term.datatype.value not in {XSD_STRING, RDF_LANG_STRING}:
            literal["datatype"] = term.datatype.value
        return literal
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": triple_json(term)}
    raise TypeError(f"not an RDF term: {term!r}")


def triple_json(triple: ox.Triple) -> dict[str, Any]:
    return {part: term_json(getattr(triple, part)) for part in TRIPLE_PARTS}


def term_from_json(data: dict[str, Any]) -> Term:
    """The inverse of :func:`term_json`."""
    kind, value = data["type"], data["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if kind == "triple":
        subject, predicate, obj = (term_from_json(value[part]) for part in TRIPLE_PARTS)
        return ox.Triple(subject, predicate, obj)  # type: ignore[arg-type]
    if "xml:lang" in data:
        return ox.Literal(value, language=data["xml:lang"])
    datatype = data.get("datatype")
    return ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None)


def is_true(term: object) -> bool:
    """Whether a query's boolean value is true. XSD writes true as "true" or "1", and some stores
    (Virtuoso) answer a boolean as the integer 1."""
    return isinstance(term, ox.Literal) and term.value.strip() in {"true", "1"}
