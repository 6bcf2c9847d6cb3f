"""What the query editor offers besides the text box: the terms it completes (prefixes, classes,
properties — entities come from the search API as one types), code that runs the query elsewhere
(curl, Python with SPARQLWrapper, JavaScript fetch), and where a syntax error is."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass

from kgapp import queries
from kgapp.errors import KGError
from kgapp.readmodel.names import label_of
from kgapp.store import KnowledgeStore
from kgapp.web.urls import UrlBuilder


@dataclass(frozen=True)
class Completion:
    """A term the editor can complete: its prefixed name (``hkus:imposedBy``), IRI and label."""

    text: str
    iri: str
    label: str
    kind: str  # "class" | "property"
    uses: int


@dataclass(frozen=True)
class Vocabulary:
    prefixes: dict[str, str]
    classes: list[Completion]
    properties: list[Completion]
    entity_search: str  # where entity names are looked up while typing (the search API)


def vocabulary(store: KnowledgeStore, urls: UrlBuilder) -> Vocabulary:
    """The classes and properties of the build, read once per build."""
    classes, properties = store.memo(_read_terms)
    return Vocabulary(
        urls.namespaces.prefixes, classes, properties, urls.page("search.search_page_json", suggest=1)
    )


def _read_terms(store: KnowledgeStore) -> tuple[list[Completion], list[Completion]]:
    urls = UrlBuilder(store.namespaces, store.path_prefix)
    found: dict[str, list[Completion]] = {"class": [], "property": []}
    for row in store.select(queries.load("sparql/vocabulary")):
        iri, kind = row["term"].value, row["kind"].value
        text = urls.compact(iri)
        found[kind].append(
            Completion(
                text=text if text != iri else f"<{iri}>",
                iri=iri,
                label=label_of(store, iri),
                kind=kind,
                uses=int(row["uses"].value),
            )
        )
    return found["class"], found["property"]


@dataclass(frozen=True)
class Snippet:
    name: str
    language: str
    code: str


def snippets(query: str, endpoint: str) -> list[Snippet]:
    """The query run from a shell, from Python and from a web page, against this endpoint."""
    curl = (
        f"curl -G {shlex.quote(endpoint)} \\\n"
        "  -H 'Accept: application/sparql-results+json' \\\n"
        f"  --data-urlencode query={shlex.quote(query)}"
    )
    python = (
        "from SPARQLWrapper import JSON, SPARQLWrapper\n\n"
        f"endpoint = SPARQLWrapper({endpoint!r})\n"
        f"endpoint.setQuery({_python_text(query)})\n"
        "endpoint.setReturnFormat(JSON)\n"
        'for row in endpoint.query().convert()["results"]["bindings"]:\n'
        '    print({name: term["value"] for name, term in row.items()})\n'
    )
    javascript = (
        f"const query = {json.dumps(query, ensure_ascii=False)};\n"
        f'const url = {json.dumps(endpoint)} + "?query=" + encodeURIComponent(query);\n'
        'const response = await fetch(url, { headers: { Accept: "application/sparql-results+json" } });\n'
        "const { results } = await response.json();\n"
        "console.table(results.bindings.map((row) =>\n"
        "  Object.fromEntries(Object.entries(row).map(([name, term]) => [name, term.value]))));\n"
    )
    return [
        Snippet("curl", "shell", curl),
        Snippet("Python (SPARQLWrapper)", "python", python),
        Snippet("JavaScript (fetch)", "javascript", javascript),
    ]


def _python_text(text: str) -> str:
    """A Python string literal for ``text``: triple-quoted when it spans lines and allows it."""
    if "\n" in text and '"""' not in text and "\\" not in text and not text.endswith('"'):
        return f'"""{text}"""'
    return repr(text)


@dataclass(frozen=True)
class ErrorPosition:
    """Where a syntax error is: line and column (from 1), the line's text, a caret under it."""

    line: int
    column: int
    text: str

    @property
    def caret(self) -> str:
        return " " * (self.column - 1) + "^"


def error_position(error: KGError | None, query: str) -> ErrorPosition | None:
    line, column = (error.details.get("line"), error.details.get("column")) if error else (None, None)
    if not isinstance(line, int):
        return None
    if not isinstance(column, int):  # a store that names the line only: the line is marked
        column = 1
    lines = query.splitlines() or [""]
    number = min(max(line, 1), len(lines))
    text = lines[number - 1]
    return ErrorPosition(number, min(max(column, 1), len(text) + 1), text)
