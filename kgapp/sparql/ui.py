"""What the query page shows: the example gallery and result cells ready for the template."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kgapp import queries
from kgapp.namespaces import Namespaces

EXAMPLES_FOLDER = "examples"


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    description: str
    text: str


@dataclass(frozen=True)
class Cell:
    """One value of a result table: its text, a link when it has a page here, and its kind."""

    text: str
    kind: str
    href: str | None = None
    note: str | None = None


TITLE_KEYS = ("title", "question")
DESCRIPTION_KEYS = ("description",)


def _comment_block(text: str) -> list[str]:
    """The comment lines at the top of a query, without their ``#``."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        lines.append(stripped.lstrip("#").strip())
    return lines


def _keyed(line: str, keys: tuple[str, ...]) -> str:
    label, _, value = line.partition(":")
    return value.strip() if label.strip().lower() in keys and value.strip() else ""


def describe(text: str) -> tuple[str, str]:
    """Title and description from the header: ``# title:`` (or ``# Question:``) and
    ``# description:``, else the other header lines as the description."""
    block = _comment_block(text)
    title = next((v for v in (_keyed(line, TITLE_KEYS) for line in block) if v), "")
    described = [v for v in (_keyed(line, DESCRIPTION_KEYS) for line in block) if v]
    if not described:
        keyed = TITLE_KEYS + DESCRIPTION_KEYS
        described = [line for line in block if line and not _keyed(line, keyed)]
    return title, " ".join(described)


def examples() -> list[Example]:
    """The example queries, read from ``queries/examples/*.rq`` at call time."""
    found = []
    for name in queries.names(EXAMPLES_FOLDER):
        text = queries.load(name)
        short = name.split("/", 1)[1]
        title, description = describe(text)
        found.append(Example(short, title or short.replace("-", " "), description, text))
    return found


def compact(iri: str, namespaces: Namespaces) -> str:
    """``prefix:local`` when a project prefix covers the IRI and leaves a simple local name."""
    for prefix, namespace in namespaces.prefixes.items():
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and all(c.isalnum() or c in "-_." for c in local):
            return f"{prefix}:{local}"
    return iri


def cell(term: dict[str, Any], namespaces: Namespaces) -> Cell:
    """A SPARQL JSON term as a table cell; our own IRIs link to their local page."""
    kind = term["type"]
    if kind == "uri":
        iri = term["value"]
        return Cell(compact(iri, namespaces), "iri", href=namespaces.path_of(iri) or iri)
    if kind == "bnode":
        return Cell("_:" + term["value"], "bnode")
    if kind == "triple":
        inner = term["value"]
        parts = [cell(inner[k], namespaces).text for k in ("subject", "predicate", "object")]
        return Cell("<< " + " ".join(parts) + " >>", "triple")
    note = None
    if "xml:lang" in term:
        note = "@" + term["xml:lang"]
    elif "datatype" in term:
        note = "^^" + compact(term["datatype"], namespaces)
    return Cell(term["value"], "literal", note=note)


def table(document: dict[str, Any], namespaces: Namespaces) -> dict[str, Any]:
    """Rows of cells for a SELECT/CONSTRUCT answer, or the boolean of an ASK."""
    if "boolean" in document:
        return {"boolean": document["boolean"], "variables": [], "rows": []}
    variables = document["head"]["vars"]
    rows = [
        [cell(b[v], namespaces) if v in b else None for v in variables]
        for b in document["results"]["bindings"]
    ]
    return {"boolean": None, "variables": variables, "rows": rows}
