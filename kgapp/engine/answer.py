"""A query result serialized in the asked format, bounded in rows and bytes, by the engine itself.

The result is first written in a line-based syntax (TSV for solutions, N-Triples for triples),
where one line is one row, through a writer that stops the engine at the row or byte cap; the
kept lines are then parsed back and written in the asked format. Every step is native
pyoxigraph code, so a large answer costs what the engine costs, and the caps hold whatever the
query asks for. A format that cannot hold the answer (JSON-LD and triple terms) is a
:class:`Unserializable` error.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass

import pyoxigraph as ox

from kgapp.formats import N_TRIPLES, SPARQL_JSON, TSV, Format, serialize_graph
from kgapp.rdfterms import TRIPLE_PARTS, triple_json

Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@dataclass(frozen=True)
class Limits:
    max_rows: int  # rows (solutions or triples) an answer holds at most
    max_bytes: int  # bytes of the serialized answer at most


@dataclass(frozen=True)
class Serialized:
    body: bytes
    rows: int
    truncated_by: str | None  # "rows" or "bytes" when the answer was cut, else None


class Unserializable(Exception):
    """The asked format cannot hold this answer."""


class LinesCut(Exception):
    """Raised by the writer to stop the engine at a cap."""


class LineWriter:
    """Keeps whole lines while they fit: at most ``max_lines`` of them and ``max_bytes`` in all."""

    def __init__(self, max_lines: int, max_bytes: int) -> None:
        self.max_lines = max_lines
        self.max_bytes = max_bytes
        self.buffer = bytearray()
        self.complete = 0  # length of the buffer up to the last newline kept
        self.lines = 0
        self.cut_by: str | None = None

    def write(self, data: bytes) -> int:
        if self.cut_by:  # the engine flushes what it holds once more after a cut
            raise LinesCut
        start = len(self.buffer)
        self.buffer += data
        position = self.buffer.find(b"\n", start)
        while position != -1:
            if self.lines == self.max_lines:
                self._cut("rows")
            if position + 1 > self.max_bytes:
                self._cut("bytes")
            self.lines += 1
            self.complete = position + 1
            position = self.buffer.find(b"\n", position + 1)
        if len(self.buffer) > self.max_bytes:
            self._cut("bytes")
        return len(data)

    def flush(self) -> None:
        pass

    def _cut(self, by: str) -> None:
        self.cut_by = by
        del self.buffer[self.complete :]
        raise LinesCut

    def kept(self) -> bytes:
        return bytes(self.buffer[: self.complete] if self.cut_by else self.buffer)


def serialize(result: Result, fmt: Format, prefixes: dict[str, str], limits: Limits) -> Serialized:
    """``result`` in ``fmt`` (a results format for SELECT/ASK, an RDF format for graphs)."""
    if isinstance(result, ox.QueryBoolean):
        assert fmt.results is not None
        return Serialized(result.serialize(format=fmt.results) or b"", 1, None)
    if isinstance(result, ox.QuerySolutions):
        return _solutions(result, fmt, limits)
    return _triples(result, fmt, prefixes, limits)


def _capture(
    result: ox.QuerySolutions | ox.QueryTriples, syntax: object, lines: int, limits: Limits
) -> LineWriter:
    """Let the engine write ``result`` in a line syntax until a cap stops it."""
    writer = LineWriter(lines, limits.max_bytes)
    with contextlib.suppress(LinesCut):
        result.serialize(writer, format=syntax)  # type: ignore[arg-type]
    return writer


def _solutions(solutions: ox.QuerySolutions, fmt: Format, limits: Limits) -> Serialized:
    writer = _capture(solutions, TSV.results, limits.max_rows + 1, limits)  # +1: the header line
    return solutions_from_tsv(writer.kept(), max(writer.lines - 1, 0), writer.cut_by, fmt, limits)


def solutions_from_tsv(tsv: bytes, rows: int, cut_by: str | None, fmt: Format, limits: Limits) -> Serialized:
    """Solutions kept as TSV (a header line, then ``rows`` lines) written in ``fmt``, cut again
    when that format makes them larger than the byte cap."""
    if not tsv:  # not even the header fit
        return Serialized(b"", 0, "bytes")
    while True:
        body = _convert_solutions(tsv, fmt)
        if len(body) <= limits.max_bytes or rows == 0:
            return Serialized(body, rows, cut_by)
        rows, cut_by = rows * limits.max_bytes // len(body) * 9 // 10, "bytes"
        tsv = b"".join(tsv.splitlines(keepends=True)[: rows + 1])


def _convert_solutions(tsv: bytes, fmt: Format) -> bytes:
    if fmt is TSV:
        return tsv
    assert fmt.results is not None
    parsed = ox.parse_query_results(tsv, format=TSV.results)
    return parsed.serialize(format=fmt.results) or b""


def _triples(triples: ox.QueryTriples, fmt: Format, prefixes: dict[str, str], limits: Limits) -> Serialized:
    writer = _capture(triples, N_TRIPLES.rdf, limits.max_rows, limits)
    return triples_from_lines(writer.kept(), writer.lines, writer.cut_by, fmt, prefixes, limits)


def triples_from_lines(
    lines: bytes, rows: int, cut_by: str | None, fmt: Format, prefixes: dict[str, str], limits: Limits
) -> Serialized:
    """Triples kept as N-Triples lines written in ``fmt``, cut again to the byte cap."""
    while True:
        body = _convert_triples(lines, fmt, prefixes)
        if len(body) <= limits.max_bytes or rows == 0:
            return Serialized(body, rows, cut_by)
        rows, cut_by = rows * limits.max_bytes // len(body) * 9 // 10, "bytes"
        lines = b"".join(lines.splitlines(keepends=True)[:rows])


def _convert_triples(lines: bytes, fmt: Format, prefixes: dict[str, str]) -> bytes:
    if fmt is N_TRIPLES:
        return lines
    try:
        return serialize_graph(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES), fmt, prefixes)
    except OSError as exc:  # e.g. "JSON-LD does not support RDF 1.2 yet"
        raise Unserializable(f"{fmt.label} cannot hold this answer: {exc}") from None


def table_json(result: Result, limits: Limits) -> Serialized:
    """The answer as SPARQL 1.1 Query Results JSON, for the query page's table; triples come as
    solutions of ``?subject ?predicate ?object``."""
    if not isinstance(result, ox.QueryTriples):
        return serialize(result, SPARQL_JSON, {}, limits)
    writer = _capture(result, N_TRIPLES.rdf, limits.max_rows, limits)
    return table_from_lines(writer.kept(), writer.lines, writer.cut_by)


def table_from_lines(lines: bytes, rows: int, cut_by: str | None) -> Serialized:
    """N-Triples lines as solutions of ``?subject ?predicate ?object``, in SPARQL JSON."""
    bindings = [triple_json(q.triple) for q in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)]
    document = {"head": {"vars": list(TRIPLE_PARTS)}, "results": {"bindings": bindings}}
    return Serialized(json.dumps(document).encode("utf-8"), rows, cut_by)
