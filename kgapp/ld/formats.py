"""The representations every described resource has: one table, suffix ⇄ media type ⇄ RDF format."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    suffix: str
    media_type: str
    name: str
    rdf: ox.RdfFormat | None = None
    # Served with named graphs, and so saying which source states each triple. JSON-LD could
    # too, but clients expect a description in its default graph.
    is_dataset: bool = False

    @property
    def is_rdf(self) -> bool:
        return self.rdf is not None


HTML = Format("html", "text/html", "HTML")
JSON = Format("json", "application/json", "JSON")

# Order matters: it is the server's preference when an Accept header ties.
FORMATS: tuple[Format, ...] = (
    HTML,
    Format("ttl", "text/turtle", "Turtle", ox.RdfFormat.TURTLE),
    Format("jsonld", "application/ld+json", "JSON-LD", ox.RdfFormat.JSON_LD),
    Format("nt", "application/n-triples", "N-Triples", ox.RdfFormat.N_TRIPLES),
    Format("rdf", "application/rdf+xml", "RDF/XML", ox.RdfFormat.RDF_XML),
    Format("trig", "application/trig", "TriG (with source graphs)", ox.RdfFormat.TRIG, True),
    Format("nq", "application/n-quads", "N-Quads (with source graphs)", ox.RdfFormat.N_QUADS, True),
    JSON,
)

BY_SUFFIX: dict[str, Format] = {f.suffix: f for f in FORMATS}
BY_MEDIA_TYPE: dict[str, Format] = {f.media_type: f for f in FORMATS}
MEDIA_TYPES: list[str] = [f.media_type for f in FORMATS]


def split_suffix(name: str) -> tuple[str, Format | None]:
    """``x.ttl`` → (``x``, Turtle); a name without a known suffix comes back unchanged."""
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and suffix in BY_SUFFIX:
        return stem, BY_SUFFIX[suffix]
    return name, None


def media_type_header(fmt: Format) -> str:
    textual = fmt.media_type.startswith("text/") or fmt.suffix in {
        "json",
        "jsonld",
        "nt",
        "nq",
        "trig",
    }
    return f"{fmt.media_type}; charset=utf-8" if textual else fmt.media_type
