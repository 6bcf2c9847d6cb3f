"""The result formats the endpoint produces, per query form, and the ``format=`` names for them.

Each offer is a media type; the first offer of a list is the default for a missing Accept or
``*/*``. Aliases (``application/json``, ``application/xml``…) are answered with the alias as
Content-Type, so a client always gets the type it asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

HTML = "text/html"


@dataclass(frozen=True)
class ResultFormat:
    """How one media type is produced: a result syntax and the file extension for downloads."""

    media_type: str
    syntax: str  # "json", "xml", "csv", "tsv", "html" for results; an RdfFormat name for graphs
    extension: str
    label: str = ""  # empty for an alias of another format (not offered as a download)

    @property
    def rdf_format(self) -> ox.RdfFormat:
        return getattr(ox.RdfFormat, self.syntax)

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(
            ("json", "xml", "trig", "n-quads", "n-triples")
        )
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


SOLUTION_FORMATS = [
    ResultFormat("application/sparql-results+json", "json", "srj", "JSON"),
    ResultFormat("application/sparql-results+xml", "xml", "srx", "XML"),
    ResultFormat("text/csv", "csv", "csv", "CSV"),
    ResultFormat("text/tab-separated-values", "tsv", "tsv", "TSV"),
    ResultFormat("application/json", "json", "json"),
    ResultFormat("application/xml", "xml", "xml"),
    ResultFormat("text/xml", "xml", "xml"),
    ResultFormat(HTML, "html", "html"),
]
BOOLEAN_FORMATS = [f for f in SOLUTION_FORMATS if f.syntax in {"json", "xml", "html"}]
GRAPH_FORMATS = [
    ResultFormat("text/turtle", "TURTLE", "ttl", "Turtle"),
    ResultFormat("application/n-triples", "N_TRIPLES", "nt", "N-Triples"),
    ResultFormat("application/ld+json", "JSON_LD", "jsonld", "JSON-LD"),
    ResultFormat("application/rdf+xml", "RDF_XML", "rdf", "RDF/XML"),
    ResultFormat("application/trig", "TRIG", "trig", "TriG"),
    ResultFormat("application/n-quads", "N_QUADS", "nq", "N-Quads"),
    ResultFormat("application/x-turtle", "TURTLE", "ttl"),
    ResultFormat("text/n3", "TURTLE", "n3"),
    ResultFormat("text/plain", "N_TRIPLES", "nt"),
    ResultFormat("application/json", "JSON_LD", "jsonld"),
    ResultFormat("application/xml", "RDF_XML", "rdf"),
    ResultFormat(HTML, "html", "html"),
]

# ``format=`` / ``output=`` / ``results=`` values (SPARQLWrapper sends all three) → media type,
# per kind of result.
SOLUTION_NAMES = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "html": HTML,
}
GRAPH_NAMES = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/turtle",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "json": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "n-quads": "application/n-quads",
    "nq": "application/n-quads",
    "html": HTML,
}


def formats_for(form: str) -> list[ResultFormat]:
    """The formats a query form can be answered in, default first."""
    if form in {"CONSTRUCT", "DESCRIBE"}:
        return GRAPH_FORMATS
    if form == "ASK":
        return BOOLEAN_FORMATS
    return SOLUTION_FORMATS


def names_for(form: str) -> dict[str, str]:
    return GRAPH_NAMES if form in {"CONSTRUCT", "DESCRIBE"} else SOLUTION_NAMES


def by_media_type(form: str, media_type: str) -> ResultFormat:
    return next(f for f in formats_for(form) if f.media_type == media_type)


def downloads_for(form: str) -> list[ResultFormat]:
    """The formats offered as download links on the query page (no aliases, no HTML)."""
    return [f for f in formats_for(form) if f.label]
