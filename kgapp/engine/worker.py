"""The work done in a query worker process: run one query on a read-only store and serialize the
whole answer to bytes. No Flask here; the parent process can kill a worker at any moment.

Jobs (:class:`kgapp.engine.job.Job`) come in on standard input; an :class:`Answer` or a
:class:`Failure` goes back on standard output for each.
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

from kgapp.engine.job import Answer, Failure, Job
from kgapp.formats import RDF_GRAPH_FORMATS, SOLUTION_FORMATS, serialize_graph
from kgapp.namespaces import Namespaces
from kgapp.rdfterms import TRIPLE_PARTS, term_json, triple_json
from kgapp.store import KnowledgeStore

ANSWER_FORMATS = {f.suffix: f for f in (*SOLUTION_FORMATS, *RDF_GRAPH_FORMATS)}
TABLE = "html"


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
    opened = OpenBuild()
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            return
        answers.send(run(job, opened))


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


class OpenBuild:
    """The build the last job named, opened read-only and kept until a job names another."""

    def __init__(self) -> None:
        self._key: tuple[str, str] | None = None
        self._store: KnowledgeStore | None = None

    def store(self, build_dir: str, base_iri: str) -> KnowledgeStore:
        if self._store is None or self._key != (build_dir, base_iri):
            self._store = KnowledgeStore(Path(build_dir), Namespaces(base_iri))
            self._key = (build_dir, base_iri)
        return self._store


def run(job: Job, opened: OpenBuild) -> Answer | Failure:
    try:
        return _execute(job, opened.store(job.build_dir, job.base_iri))
    except SyntaxError as exc:
        return Failure("syntax", str(exc))
    except Exception as exc:
        return Failure("internal", f"{type(exc).__name__}: {exc}")


def _execute(job: Job, store: KnowledgeStore) -> Answer:
    result = store.query(job.query, dataset=job.dataset, base_iri=job.endpoint)
    if isinstance(result, ox.QueryBoolean):
        document: dict[str, Any] = {"head": {}, "boolean": bool(result)}
        return _solutions_answer(document, job.answer_format, rows=1, truncated=False)
    if isinstance(result, ox.QuerySolutions):
        return _select_answer(result, job)
    return _graph_answer(result, job, store.namespaces.prefixes)


def _select_answer(solutions: ox.QuerySolutions, job: Job) -> Answer:
    names = [v.value for v in solutions.variables]
    bindings: list[dict[str, Any]] = []
    truncated = False
    for solution in solutions:
        if len(bindings) == job.max_rows:
            truncated = True
            break
        bindings.append({n: term_json(solution[n]) for n in names if solution[n] is not None})
    document = {"head": {"vars": names}, "results": {"bindings": bindings}}
    return _solutions_answer(document, job.answer_format, rows=len(bindings), truncated=truncated)


def _solutions_answer(document: dict[str, Any], answer_format: str, rows: int, truncated: bool) -> Answer:
    if answer_format == TABLE:
        return Answer(rows, truncated, table=document)
    encoded = json.dumps(document, ensure_ascii=False).encode("utf-8")
    results_format = ANSWER_FORMATS[answer_format].results
    if results_format is not None and results_format != ox.QueryResultsFormat.JSON:
        parsed = ox.parse_query_results(encoded, format=ox.QueryResultsFormat.JSON)
        encoded = parsed.serialize(format=results_format) or b""
    return Answer(rows, truncated, body=encoded)


def _graph_answer(triples: ox.QueryTriples, job: Job, prefixes: dict[str, str]) -> Answer:
    kept: list[ox.Triple] = []
    truncated = False
    for triple in triples:
        if len(kept) == job.max_rows:
            truncated = True
            break
        kept.append(triple)
    if job.answer_format == TABLE:
        table = {
            "head": {"vars": list(TRIPLE_PARTS)},
            "results": {"bindings": [triple_json(t) for t in kept]},
        }
        return Answer(len(kept), truncated, table=table)
    body = serialize_graph(kept, ANSWER_FORMATS[job.answer_format], prefixes)
    return Answer(len(kept), truncated, body=body)


if __name__ == "__main__":
    main()
