"""What the query page shows: the example gallery, and result cells ready for the template, IRIs
with the labels the graph gives them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kgapp import queries
from kgapp.queries import Example
from kgapp.rdfterms import TRIPLE_PARTS
from kgapp.web.urls import UrlBuilder

EDITOR_MISSING = (
    "the query editor's files are not installed (node_modules/codemirror, from 'npm ci'): "
    "/sparql serves a plain text box, without highlighting or completion"
)


@dataclass(frozen=True)
class Cell:
    """One value of a result table: its text, a link when it may have one, and its kind."""

    text: str
    kind: str
    href: str | None = None
    note: str | None = None
    label: str | None = None  # an IRI's label in the graph

    @property
    def sort_key(self) -> str:
        return self.label or self.text


@dataclass(frozen=True)
class Table:
    """A SELECT/CONSTRUCT answer as rows of cells, or the boolean of an ASK."""

    boolean: bool | None
    variables: list[str]
    rows: list[list[Cell | None]]


def examples() -> list[Example]:
    return queries.examples()


def cell(term: dict[str, Any], urls: UrlBuilder, names: dict[str, str] | None = None) -> Cell:
    """A SPARQL JSON term as a table cell; our own IRIs link to their local page, other IRIs
    only when their scheme may be linked to; an IRI the graph labels carries its label."""
    kind = term["type"]
    if kind == "uri":
        iri = term["value"]
        return Cell(urls.compact(iri), "iri", href=urls.href(iri), label=(names or {}).get(iri))
    if kind == "bnode":
        return Cell("_:" + term["value"], "bnode")
    if kind == "triple":
        inner = term["value"]
        parts = [cell(inner[k], urls).text for k in TRIPLE_PARTS]
        return Cell("<< " + " ".join(parts) + " >>", "triple")
    note = None
    if "xml:lang" in term:
        note = "@" + term["xml:lang"]
    elif "datatype" in term:
        note = "^^" + urls.compact(term["datatype"])
    return Cell(term["value"], "literal", note=note)


def table(document: dict[str, Any], urls: UrlBuilder, names: dict[str, str] | None = None) -> Table:
    if "boolean" in document:
        return Table(document["boolean"], [], [])
    variables = document["head"]["vars"]
    rows = [
        [cell(b[v], urls, names) if v in b else None for v in variables]
        for b in document["results"]["bindings"]
    ]
    return Table(None, variables, rows)
