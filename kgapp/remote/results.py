"""A store's answer read as it streams in, cut at the caps, in the line syntaxes the answer
writer works from (:mod:`kgapp.engine.answer`): TSV for solutions, N-Triples for triples.

Solutions are asked for as SPARQL Query Results XML, the one results format every store writes
correctly (Virtuoso's TSV, for one, quotes variable names and loses language tags), and read
with expat as they arrive: reading stops — and the request is cancelled — as soon as the row
or byte cap is reached. Triples are asked for as N-Triples, read line by line; a store that
answers in another RDF syntax is parsed whole, within the byte budget.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kgapp.engine.answer import Limits, LinesCut, LineWriter
from kgapp.formats import INPUT_FORMATS, by_name
from kgapp.remote.client import Response
from kgapp.remote.terms import Skolem, Term, blank_label
from kgapp.remote.wire import StoreFailed

RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RESULTS_XML = "application/sparql-results+xml"
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES_TYPES = ("application/n-triples", "text/plain")
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
RAW_BUDGET_FACTOR = 8  # a store's XML is several times the size of the TSV we keep


def accept_for(form: str) -> str:
    """What to ask the store for, by query form."""
    if form in {"CONSTRUCT", "DESCRIBE"}:
        return GRAPH_ACCEPT
    if form == "ASK":
        return f"{RESULTS_XML}, {RESULTS_JSON};q=0.9"
    return RESULTS_XML


@dataclass(frozen=True)
class Lines:
    """An answer in a line syntax: the kept bytes, how many rows, and the cap that cut it."""

    body: bytes
    rows: int
    cut_by: str | None


def solutions(response: Response, skolem: Skolem, limits: Limits) -> Lines:
    """SPARQL XML results, as TSV: a header line, then one line per solution."""
    writer = LineWriter(limits.max_rows + 1, limits.max_bytes)  # +1: the header line
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("end",))
    budget = max(limits.max_bytes * RAW_BUDGET_FACTOR, 1 << 20)
    read = 0
    variables: list[str] | None = None
    try:
        for chunk in response.chunks():
            read += len(chunk)
            if read > budget:
                response.close()
                writer.cut_by = writer.cut_by or "bytes"
                break
            parser.feed(chunk)
            for event, element in parser.read_events():  # type: ignore[misc]  # typeshed: 1-tuples
                if isinstance(element, ET.Element):
                    variables = _on_event(event, element, variables, writer, skolem)
    except LinesCut:
        response.close()
    except ET.ParseError as exc:
        response.close()
        raise StoreFailed(f"the store's results are not well-formed XML: {exc}") from None
    if variables is None and not writer.cut_by:
        raise StoreFailed("the store's answer to a SELECT query has no <head>")
    rows = max(writer.lines - 1, 0)
    return Lines(writer.kept(), rows, writer.cut_by or _cut_by_store(response, rows))


def _cut_by_store(response: Response, rows: int) -> str | None:
    """ "rows" when the store itself stopped at its own row limit (Virtuoso's ResultSetMaxRows,
    which it says only in a header)."""
    return "rows" if response.store_max_rows is not None and rows >= response.store_max_rows else None


def _on_event(
    event: str, element: ET.Element, variables: list[str] | None, writer: LineWriter, skolem: Skolem
) -> list[str] | None:
    tag = element.tag
    if event == "end" and tag == RESULTS_NS + "head":
        names = [v.get("name", "") for v in element.iter(RESULTS_NS + "variable")]
        writer.write(("\t".join("?" + n for n in names) + "\n").encode("utf-8"))
        return names
    if event == "end" and tag == RESULTS_NS + "result":
        assert variables is not None
        bound = {b.get("name", ""): b for b in element.iter(RESULTS_NS + "binding")}
        cells = [str(_term(bound[name], skolem)) if name in bound else "" for name in variables]
        writer.write(("\t".join(cells) + "\n").encode("utf-8"))
        element.clear()
    return variables


def _term(binding: ET.Element, skolem: Skolem) -> Term:
    node = next(iter(binding), None)
    if node is None:
        raise StoreFailed("the store's results hold an empty binding")
    kind, text = node.tag[len(RESULTS_NS) :], node.text or ""
    if kind == "uri":
        return skolem.read_iri(text.strip())
    if kind == "bnode":
        return ox.BlankNode(blank_label(text.strip()))
    if kind == "literal":
        datatype, language = node.get("datatype"), node.get(XML_LANG)
        if language:
            return ox.Literal(text, language=language)
        return ox.Literal(text, datatype=ox.NamedNode(datatype) if datatype else None)
    if kind == "triple":
        raise StoreFailed("the store answered with a triple term, which this endpoint does not relay")
    raise StoreFailed(f"the store's results hold an unknown kind of term: {kind}")


def boolean(response: Response) -> ox.QueryBoolean:
    """An ASK answer, in SPARQL XML or JSON (a store may answer either; both are small)."""
    body = response.read_all(1 << 20)
    fmt = ox.QueryResultsFormat.JSON if response.content_type == RESULTS_JSON else ox.QueryResultsFormat.XML
    try:
        parsed = ox.parse_query_results(body, format=fmt)
    except (SyntaxError, ValueError) as exc:
        raise StoreFailed(f"the store's answer to an ASK query cannot be read: {exc}") from None
    if not isinstance(parsed, ox.QueryBoolean):
        raise StoreFailed("the store answered an ASK query with solutions")
    return parsed


def triples(response: Response, skolem: Skolem, limits: Limits) -> Lines:
    """A graph answer, as N-Triples lines, one triple per line."""
    writer = LineWriter(limits.max_rows, limits.max_bytes)
    try:
        for triple in _triples_of(response, limits):
            line = (
                f"{_nt(skolem.read(triple.subject))} {triple.predicate} {_nt(skolem.read(triple.object))} .\n"
            )
            writer.write(line.encode("utf-8"))
    except LinesCut:
        response.close()
    return Lines(writer.kept(), writer.lines, writer.cut_by)


def _nt(term: object) -> str:
    return str(term)


def _triples_of(response: Response, limits: Limits) -> Iterator[ox.Triple]:
    if response.content_type in N_TRIPLES_TYPES or not response.content_type:
        yield from _line_triples(response)
        return
    fmt = by_name(response.content_type, INPUT_FORMATS)
    if fmt is None or fmt.rdf is None:
        response.close()
        raise StoreFailed(f"the store answered a graph query in {response.content_type}, which is not RDF")
    body = response.read_all(max(limits.max_bytes * RAW_BUDGET_FACTOR, 1 << 20))
    try:
        yield from (ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt.rdf))
    except SyntaxError as exc:
        raise StoreFailed(f"the store's {fmt.label} answer cannot be read: {exc}") from None


def _line_triples(response: Response) -> Iterator[ox.Triple]:
    pending = b""
    for chunk in response.chunks():
        pending += chunk
        complete, _, pending = pending.rpartition(b"\n")
        if complete:
            yield from _parse_lines(complete + b"\n")
    if pending.strip():
        yield from _parse_lines(pending + b"\n")


def _parse_lines(lines: bytes) -> Iterator[ox.Triple]:
    try:
        for quad in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES):
            yield ox.Triple(quad.subject, quad.predicate, quad.object)
    except SyntaxError as exc:
        raise StoreFailed(f"the store's N-Triples answer cannot be read: {exc}") from None


@dataclass(frozen=True)
class StoreAnswer:
    """A query's answer from a store, read by the query's form: a boolean (ASK), or lines of
    N-Triples (CONSTRUCT, DESCRIBE) or TSV (SELECT) with blank nodes as the dataset has them."""

    form: str
    boolean: ox.QueryBoolean | None = None
    lines: Lines | None = None

    @property
    def kind(self) -> str:
        """The kind of answer, as the engine names it (:data:`kgapp.engine.job.FORMS`)."""
        if self.form == "ASK":
            return "boolean"
        return "graph" if self.form in {"CONSTRUCT", "DESCRIBE"} else "solutions"


def read_answer(response: Response, form: str, skolem: Skolem, limits: Limits) -> StoreAnswer:
    if form == "ASK":
        return StoreAnswer(form, boolean=boolean(response))
    if form in {"CONSTRUCT", "DESCRIBE"}:
        return StoreAnswer(form, lines=triples(response, skolem, limits))
    return StoreAnswer(form, lines=solutions(response, skolem, limits))
