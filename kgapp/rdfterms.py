"""pyoxigraph terms (what the build parses and the store holds) as SPARQL 1.1 Query Results
JSON objects, both ways: query answers, the query page's table, the disagreements kept with a
build. The runtime's view of terms; their rdflib form, for the reference implementations, is in
:mod:`kgapp.rdflibterms`.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kgapp.namespaces import RDF_LANG_STRING, XSD_STRING

TRIPLE_PARTS = ("subject", "predicate", "object")

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


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
