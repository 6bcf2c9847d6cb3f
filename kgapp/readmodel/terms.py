"""Plain view models of RDF terms: what a template or a JSON encoder needs, nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kgapp.namespaces import RDF_LANG_STRING, XSD, Namespaces
from kgapp.readmodel.links import Links

# Datatypes a reader does not need to be told about.
PLAIN_DATATYPES = {XSD + "string", RDF_LANG_STRING}


@dataclass(frozen=True)
class Term:
    """An IRI, blank node or literal, ready to display: label, link, language, datatype."""

    kind: str  # "iri" | "bnode" | "literal"
    value: str
    label: str
    href: str | None = None
    language: str | None = None
    datatype: str | None = None
    labelled: bool = False  # the label comes from the graph, not from the IRI
    label_language: str | None = None

    @property
    def shown_datatype(self) -> str | None:
        """The datatype's short name (``date``) when it matters to a reader, else None."""
        if self.datatype is None or self.datatype in PLAIN_DATATYPES:
            return None
        return self.datatype.removeprefix(XSD)

    def sort_key(self) -> tuple[str, str]:
        return (self.label.casefold(), self.value)


def local_name(iri: str) -> str:
    """The last segment of an IRI, used as a label of last resort."""
    for separator in ("#", "/"):
        if separator in iri.rstrip(separator):
            return iri.rstrip(separator).rsplit(separator, 1)[-1]
    return iri


RDF, RDFS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#"
OWL, SKOS = "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2004/02/skos/core#"
# The standard vocabularies' own terms that pages show, in words (no graph labels them).
STANDARD_LABELS = {
    RDF + "type": "type",
    RDFS + "label": "name",
    RDFS + "comment": "description",
    RDFS + "seeAlso": "see also",
    SKOS + "prefLabel": "preferred name",
    SKOS + "altLabel": "alternative name",
    SKOS + "definition": "definition",
    SKOS + "broader": "broader",
    SKOS + "narrower": "narrower",
    SKOS + "inScheme": "in scheme",
    SKOS + "exactMatch": "same as",
    SKOS + "closeMatch": "close to",
    SKOS + "Concept": "concept",
    SKOS + "ConceptScheme": "concept scheme",
    OWL + "Class": "class",
    OWL + "ObjectProperty": "object property",
    OWL + "DatatypeProperty": "datatype property",
    OWL + "Ontology": "ontology",
    OWL + "sameAs": "same as",
}


def last_resort(iri: str, namespaces: Namespaces) -> str:
    """How a thing with no label is named, everywhere: a standard term in words (``rdfs:label``
    is "name"), else its prefixed name under a known prefix (``hkus:Law``), else the last
    segment of its IRI."""
    if iri in STANDARD_LABELS:
        return STANDARD_LABELS[iri]
    compact = namespaces.compact(iri)
    return compact if compact != iri else local_name(iri)


def text_of(term: Any) -> str | None:
    return None if term is None else term.value


def make_term(term: Any, urls: Links, label: Any = None) -> Term:
    """A view of a pyoxigraph term; ``label`` (a term or None) is the best label found for it."""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype else None
        return Term("literal", term.value, term.value, language=term.language, datatype=datatype)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value, "(anonymous node)")
    iri = term.value
    found = text_of(label)
    language = label.language if isinstance(label, ox.Literal) else None
    return Term(
        "iri",
        iri,
        found or last_resort(iri, urls.namespaces),
        href=urls.href(iri),
        labelled=bool(found),
        label_language=language,
    )
