"""The work done in a query worker process: run one query on a read-only store and serialize the
whole answer to bytes. No Flask here; the parent process can kill a worker at any moment.

A job is a plain dict (it crosses a process boundary); see :class:`kgapp.sparql.executor.Job`.
The answer is ``{"ok": True, "body": bytes, "rows": n, "truncated": bool, "table": …}`` or
``{"ok": False, "kind": "syntax" | "internal", "message": str}``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import signal
import sys
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgapp.namespaces import Namespaces
from kgapp.store import KnowledgeStore

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}

# Holds the default graph without inferences; not a graph of the dataset (not in GRAPH ?g).

_stores: dict[tuple[str, str], KnowledgeStore] = {}


def main() -> None:
    """Answer jobs read from stdin on stdout until the parent closes the pipe (or kills us).

    Standard output is kept for answers only: anything printed goes to standard error.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    _leave_the_network()
    jobs = Connection(os.dup(0), writable=False)
    answers = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            return
        answers.send(run(job))


def _die_with_parent() -> None:
    """On Linux, ask the kernel to kill this worker when the server process goes away, even in
    the middle of a long query (elsewhere the worker still exits when its stdin closes)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(0)


CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def _leave_the_network() -> None:
    """On Linux, move this worker into a network namespace of its own, with no interface up:
    whatever a query asks for, the worker cannot reach another host, or this one. This backs the
    refusal of SERVICE before execution. Must run before any thread starts."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    for flags in (CLONE_NEWUSER | CLONE_NEWNET, CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return
    reason = os.strerror(ctypes.get_errno())
    print(f"query worker {os.getpid()}: no network namespace ({reason})", file=sys.stderr)


def run(job: dict[str, Any]) -> dict[str, Any]:
    try:
        return {"ok": True, **_execute(job)}
    except SyntaxError as exc:
        return {"ok": False, "kind": "syntax", "message": str(exc)}
    except Exception as exc:
        return {"ok": False, "kind": "internal", "message": f"{type(exc).__name__}: {exc}"}


def _store(build_dir: str, base_iri: str) -> KnowledgeStore:
    """The build a job names, opened read-only once and kept until a job names another."""
    key = (build_dir, base_iri)
    if key not in _stores:
        _stores.clear()
        _stores[key] = KnowledgeStore(Path(build_dir), Namespaces(base_iri))
    return _stores[key]


def _dataset_arguments(job: dict[str, Any], store: KnowledgeStore) -> dict[str, Any]:
    """Protocol dataset first, then the query's FROM clauses, then the endpoint's default:
    the store's default graph (every asserted triple once) and, unless switched off, the
    inferred graph; every named graph of the build for GRAPH."""
    if job["protocol_dataset"]:
        return {
            "default_graph": [ox.NamedNode(g) for g in job["default_graphs"]],
            "named_graphs": [ox.NamedNode(g) for g in job["named_graphs"]],
        }
    if job["query_dataset"]:
        return {}
    named = [ox.NamedNode(g) for g in store.graph_names()]
    return {"default_graph": store.default_graphs(job["inference"]), "named_graphs": named}


def _execute(job: dict[str, Any]) -> dict[str, Any]:
    store = _store(job["build_dir"], job["base_iri"])
    result = store.store.query(
        job["query"],
        base_iri=job["endpoint"],
        prefixes=store.namespaces.prefixes,
        **_dataset_arguments(job, store),
    )
    if isinstance(result, ox.QueryBoolean):
        document: dict[str, Any] = {"head": {}, "boolean": bool(result)}
        return _solutions_answer(document, job["syntax"], rows=1, truncated=False)
    if isinstance(result, ox.QuerySolutions):
        return _select_answer(result, job)
    return _graph_answer(result, job, store.namespaces.prefixes)


def _select_answer(solutions: ox.QuerySolutions, job: dict[str, Any]) -> dict[str, Any]:
    names = [v.value for v in solutions.variables]
    bindings: list[dict[str, Any]] = []
    truncated = False
    for solution in solutions:
        if len(bindings) == job["max_rows"]:
            truncated = True
            break
        row = {n: term_json(solution[n]) for n in names if solution[n] is not None}
        bindings.append(row)
    document = {"head": {"vars": names}, "results": {"bindings": bindings}}
    return _solutions_answer(document, job["syntax"], rows=len(bindings), truncated=truncated)


def _solutions_answer(document: dict[str, Any], syntax: str, rows: int, truncated: bool) -> dict[str, Any]:
    answer: dict[str, Any] = {"rows": rows, "truncated": truncated, "body": b"", "table": None}
    if syntax == "html":
        answer["table"] = document
        return answer
    encoded = json.dumps(document, ensure_ascii=False).encode("utf-8")
    answer["body"] = encoded
    if syntax != "json":
        parsed = ox.parse_query_results(encoded, format=ox.QueryResultsFormat.JSON)
        answer["body"] = parsed.serialize(format=RESULT_FORMATS[syntax])
    return answer


def _graph_answer(triples: ox.QueryTriples, job: dict[str, Any], prefixes: dict[str, str]) -> dict[str, Any]:
    kept: list[ox.Triple] = []
    truncated = False
    for triple in triples:
        if len(kept) == job["max_rows"]:
            truncated = True
            break
        kept.append(triple)
    answer: dict[str, Any] = {"rows": len(kept), "truncated": truncated, "body": b"", "table": None}
    if job["syntax"] == "html":
        answer["table"] = {
            "head": {"vars": ["subject", "predicate", "object"]},
            "results": {"bindings": [_triple_row(t) for t in kept]},
        }
        return answer
    rdf_format = getattr(ox.RdfFormat, job["syntax"])
    items: list[Any] = kept
    if rdf_format.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in kept]
    with_prefixes = rdf_format in {ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML}
    answer["body"] = ox.serialize(items, format=rdf_format, prefixes=prefixes if with_prefixes else None)
    return answer


def _triple_row(triple: ox.Triple) -> dict[str, Any]:
    return {
        "subject": term_json(triple.subject),
        "predicate": term_json(triple.predicate),
        "object": term_json(triple.object),
    }


def term_json(term: Any) -> dict[str, Any]:
    """One RDF term as SPARQL 1.1 Query Results JSON (with SPARQL-star triple terms)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        literal: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            literal["xml:lang"] = term.language
        elif term.datatype.value not in {XSD_STRING, RDF_LANG_STRING}:
            literal["datatype"] = term.datatype.value
        return literal
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": _triple_row(term)}
    raise TypeError(f"unexpected term in a query result: {term!r}")


if __name__ == "__main__":
    main()
