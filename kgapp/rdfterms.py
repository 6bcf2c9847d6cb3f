"""RDF terms as SPARQL 1.1 Query Results JSON objects (with SPARQL-star triple terms), both ways.

The one mapping between pyoxigraph terms and plain JSON: query answers, the query page's table,
the disagreements stored with a build.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
TRIPLE_PARTS = ("subject", "predicate", "object")

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


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
