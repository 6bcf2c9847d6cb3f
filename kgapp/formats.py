"""Every serialization the project reads or writes, in one registry.

A :class:`Format` knows its media type, file suffix, the names people use for it (``format=``
values, CLI choices), the other media types answered with it, the pyoxigraph and rdflib formats
behind it and its W3C format IRI. The loader, the CLI, the query engine, the endpoint, the
linked-data documents, the service description and the dumps all read this table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

W3C_FORMATS = "http://www.w3.org/ns/formats/"
TEXTUAL_SUBTYPE_ENDINGS = ("json", "xml", "trig", "n-quads", "n-triples", "turtle", "csv")


@dataclass(frozen=True)
class Format:
    label: str
    media_type: str
    suffix: str
    names: tuple[str, ...] = ()  # also accepted as format= values and on the command line
    aliases: tuple[str, ...] = ()  # other media types answered with this format (their own type)
    rdf: ox.RdfFormat | None = None
    results: ox.QueryResultsFormat | None = None
    rdflib: str | None = None  # rdflib's parser name, for the build
    w3c: str | None = None  # local name under http://www.w3.org/ns/formats/
    input_suffixes: tuple[str, ...] = ()  # file suffixes the loader reads as this format
    download_suffix: str | None = None  # the file name a download is saved as, where not suffix
    # A dataset syntax: its documents carry named graphs (TriG, N-Quads). JSON-LD can, but a
    # client asking for JSON-LD expects the triples in its default graph, so it is not one.
    is_dataset: bool = False

    @property
    def supports_datasets(self) -> bool:
        return self.rdf is not None and self.rdf.supports_datasets

    @property
    def file_suffix(self) -> str:
        """The suffix of a downloaded answer's file name (``.json`` rather than the registered
        ``.srj``, which few programs open)."""
        return self.download_suffix or self.suffix

    @property
    def w3c_iri(self) -> str | None:
        return W3C_FORMATS + self.w3c if self.w3c else None

    @property
    def content_type(self) -> str:
        return content_type(self.media_type)

    def accepts_name(self, name: str) -> bool:
        wanted = name.strip().lower()
        return wanted in {self.suffix, self.media_type, *self.names, *self.aliases}


def content_type(media_type: str) -> str:
    """The Content-Type header for a media type: textual types say they are UTF-8."""
    subtype = media_type.partition("/")[2]
    textual = media_type.startswith("text/") or subtype.endswith(TEXTUAL_SUBTYPE_ENDINGS)
    return f"{media_type}; charset=utf-8" if textual else media_type


# RDF ---------------------------------------------------------------------------------------------
TURTLE = Format(
    "Turtle",
    "text/turtle",
    "ttl",
    names=("turtle", "n3"),  # Turtle is N3 too: answers asked for as N3 are Turtle
    aliases=("application/x-turtle", "text/n3"),
    rdf=ox.RdfFormat.TURTLE,
    rdflib="turtle",
    w3c="Turtle",
    input_suffixes=(".ttl",),
)
N_TRIPLES = Format(
    "N-Triples",
    "application/n-triples",
    "nt",
    names=("ntriples", "n-triples"),
    aliases=("text/plain",),
    rdf=ox.RdfFormat.N_TRIPLES,
    rdflib="nt",
    w3c="N-Triples",
    input_suffixes=(".nt",),
)
N3 = Format(
    "N3",
    "text/n3",
    "n3",
    rdf=ox.RdfFormat.N3,
    rdflib="n3",
    w3c="N3",
    input_suffixes=(".n3",),
)
JSON_LD = Format(
    "JSON-LD",
    "application/ld+json",
    "jsonld",
    names=("json-ld", "json"),
    aliases=("application/json",),
    rdf=ox.RdfFormat.JSON_LD,
    rdflib="json-ld",
    w3c="JSON-LD",
    input_suffixes=(".jsonld",),
)
RDF_XML = Format(
    "RDF/XML",
    "application/rdf+xml",
    "rdf",
    names=("rdfxml", "rdf+xml", "xml", "owl"),
    aliases=("application/xml",),
    rdf=ox.RdfFormat.RDF_XML,
    rdflib="xml",
    w3c="RDF_XML",
    input_suffixes=(".rdf", ".owl"),
)
TRIG = Format(
    "TriG",
    "application/trig",
    "trig",
    rdf=ox.RdfFormat.TRIG,
    rdflib="trig",
    w3c="TriG",
    input_suffixes=(".trig",),
    is_dataset=True,
)
N_QUADS = Format(
    "N-Quads",
    "application/n-quads",
    "nq",
    names=("nquads", "n-quads"),
    rdf=ox.RdfFormat.N_QUADS,
    rdflib="nquads",
    w3c="N-Quads",
    input_suffixes=(".nq",),
    is_dataset=True,
)

# SPARQL query results ------------------------------------------------------------------------------
SPARQL_JSON = Format(
    "JSON",
    "application/sparql-results+json",
    "srj",
    names=("json",),
    aliases=("application/json",),
    results=ox.QueryResultsFormat.JSON,
    w3c="SPARQL_Results_JSON",
    download_suffix="json",
)
SPARQL_XML = Format(
    "XML",
    "application/sparql-results+xml",
    "srx",
    names=("xml",),
    aliases=("application/xml", "text/xml"),
    results=ox.QueryResultsFormat.XML,
    download_suffix="xml",
    w3c="SPARQL_Results_XML",
)
CSV = Format("CSV", "text/csv", "csv", results=ox.QueryResultsFormat.CSV, w3c="SPARQL_Results_CSV")
TSV = Format(
    "TSV", "text/tab-separated-values", "tsv", results=ox.QueryResultsFormat.TSV, w3c="SPARQL_Results_TSV"
)

# Pages ----------------------------------------------------------------------------------------------
HTML = Format("HTML", "text/html", "html")
JSON = Format("JSON", "application/json", "json")

RDF_GRAPH_FORMATS: tuple[Format, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, TRIG, N_QUADS)
SOLUTION_FORMATS: tuple[Format, ...] = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
BOOLEAN_FORMATS: tuple[Format, ...] = (SPARQL_JSON, SPARQL_XML)
INPUT_FORMATS: tuple[Format, ...] = (TURTLE, N_TRIPLES, N3, JSON_LD, RDF_XML, TRIG, N_QUADS)
# A described resource's documents, in the server's order of preference when an Accept ties.
DOCUMENT_FORMATS: tuple[Format, ...] = (HTML, TURTLE, JSON_LD, N_TRIPLES, RDF_XML, TRIG, N_QUADS, JSON)


def answer_formats(form: str) -> tuple[Format, ...]:
    """What a query of this form (SELECT, ASK, CONSTRUCT, DESCRIBE) can be answered in, default
    first; HTML is the query page with the results in it."""
    if form in {"CONSTRUCT", "DESCRIBE"}:
        return (*RDF_GRAPH_FORMATS, HTML)
    if form == "ASK":
        return (*BOOLEAN_FORMATS, HTML)
    return (*SOLUTION_FORMATS, HTML)


def offers(formats: Sequence[Format]) -> list[tuple[str, Format]]:
    """Media types to negotiate over, each with the format that answers it: every format's own
    type in order first, then the aliases (so an alias never wins a tie)."""
    primary = [(f.media_type, f) for f in formats]
    seen = {media_type for media_type, _ in primary}
    aliases = []
    for fmt in formats:
        for alias in fmt.aliases:
            if alias not in seen:
                seen.add(alias)
                aliases.append((alias, fmt))
    return primary + aliases


def by_name(name: str, formats: Iterable[Format]) -> Format | None:
    """The format among ``formats`` that a ``format=`` value or CLI name stands for."""
    return next((f for f in formats if f.accepts_name(name)), None)


def by_suffix(suffix: str, formats: Iterable[Format] = DOCUMENT_FORMATS) -> Format | None:
    return next((f for f in formats if f.suffix == suffix), None)


def for_input_file(suffix: str) -> Format | None:
    """The format the loader reads a file with this suffix (``.ttl``) as, if any."""
    wanted = suffix.lower()
    return next((f for f in INPUT_FORMATS if wanted in f.input_suffixes), None)


def split_suffix(name: str, formats: Iterable[Format] = DOCUMENT_FORMATS) -> tuple[str, Format | None]:
    """``x.ttl`` → (``x``, Turtle); a name without a known suffix comes back unchanged."""
    stem, dot, suffix = name.rpartition(".")
    fmt = by_suffix(suffix, formats) if dot and stem else None
    return (stem, fmt) if fmt else (name, None)


def serialize_graph(
    items: Iterable[ox.Triple | ox.Quad],
    fmt: Format,
    prefixes: dict[str, str] | None = None,
    with_graphs: bool | None = None,
) -> bytes:
    """Triples (or quads) in an RDF format. With graphs (the default for a dataset syntax),
    triples go into the default graph; without, quads lose their graph names. ``prefixes`` are
    used where the syntax has them."""
    if fmt.rdf is None:
        raise ValueError(f"{fmt.label} is not an RDF format")
    if fmt.is_dataset if with_graphs is None else with_graphs:
        ready: list[ox.Triple] | list[ox.Quad] = [
            item if isinstance(item, ox.Quad) else ox.Quad(item.subject, item.predicate, item.object)
            for item in items
        ]
    else:
        ready = [
            ox.Triple(item.subject, item.predicate, item.object) if isinstance(item, ox.Quad) else item
            for item in items
        ]
    usable = prefixes if fmt.rdf in PREFIXED_SYNTAXES else None
    body = ox.serialize(ready, format=fmt.rdf, prefixes=usable) or b""
    if fmt.rdf == ox.RdfFormat.JSON_LD and prefixes and not fmt.is_dataset:
        return compact_json_ld(body, prefixes)
    return body


def compact_json_ld(expanded: bytes, prefixes: dict[str, str]) -> bytes:
    """Expanded JSON-LD (what the engine writes) made compact: properties, ``@id`` and ``@type``
    written as compact IRIs (``rdfs:label``) under an ``@context`` of the prefixes they use, the
    nodes in ``@graph``. The same triples, in the form people and JSON tools read."""
    used: dict[str, str] = {}
    ordered = sorted(prefixes.items(), key=lambda item: -len(item[1]))  # the longest namespace wins

    def compact(iri: str) -> str:
        for name, namespace in ordered:
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and local and not local.startswith("//") and name:
                used[name] = namespace
                return f"{name}:{local}"
        return iri

    def node(value: object) -> object:
        if isinstance(value, list):
            return [node(v) for v in value]
        if not isinstance(value, dict):
            return value
        written: dict[str, object] = {}
        for key, inner in value.items():
            if key in ("@id", "@type") and isinstance(inner, str | list):
                written[key] = [compact(v) for v in inner] if isinstance(inner, list) else compact(inner)
            else:
                written[key if key.startswith("@") else compact(key)] = node(inner)
        return written

    graph = node(json.loads(expanded or b"[]"))
    return json.dumps({"@context": dict(sorted(used.items())), "@graph": graph}, ensure_ascii=False).encode()


PREFIXED_SYNTAXES = frozenset({ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML, ox.RdfFormat.N3})
