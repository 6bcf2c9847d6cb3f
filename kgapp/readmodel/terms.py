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


def last_resort(iri: str, namespaces: Namespaces) -> str:
    """How a thing with no label is named, everywhere: its prefixed name under a known prefix
    (``hkus:Law``), else the last segment of its IRI."""
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
