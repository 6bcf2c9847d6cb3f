"""A query process: isolated from the network, bounded in memory, it runs one query at a time on
a read-only store and serializes the whole answer within its caps. No Flask here; the pool can
kill it at any moment.

It reports :class:`Ready` first, then answers each :class:`Job` from standard input with an
:class:`Answer` or a :class:`Failure` on standard output.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from kgapp.engine import answer
from kgapp.engine.isolation import isolate
from kgapp.engine.job import Answer, Failure, Job, Ready
from kgapp.engine.reply import reply
from kgapp.namespaces import Namespaces
from kgapp.processes import die_with_parent
from kgapp.store import EmbeddedStore, KnowledgeStore

MEMORY_LIMIT_VARIABLE = "KGAPP_QUERY_MEMORY_MB"
# The engine plans and evaluates recursively: a query that chains thousands of patterns needs a
# deep stack, and overflowing it kills the process. Queries run on a thread with a deep stack
# (address space, touched only as deep as a query goes): a quarter of the memory limit, which
# counts it, up to 256 MB — at about 5 kB a level, far more than the 2,000 levels the endpoint
# accepts (kgapp.querytext.refuse).
MAX_QUERY_STACK_MB = 256
# Queries run at a lower CPU priority than the web processes: when long queries fill every core,
# pages, /health and ASK {} still get the CPU they need, at once.
QUERY_NICENESS = 5


def main() -> None:
    """Answer jobs read from stdin on stdout until the parent closes the pipe (or kills us).

    Standard output is kept for answers only: anything printed goes to standard error.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    os.nice(QUERY_NICENESS)
    _limit_memory(int(os.environ.get(MEMORY_LIMIT_VARIABLE, "0")))
    isolation = isolate()
    jobs = Connection(os.dup(0), writable=False)
    answers = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    answers.send(Ready(os.getpid(), isolation))
    threading.stack_size(query_stack_bytes(int(os.environ.get(MEMORY_LIMIT_VARIABLE, "0"))))
    runner = threading.Thread(target=serve, args=(jobs, answers), name="kgapp-query")
    runner.start()
    runner.join()


def query_stack_bytes(memory_mb: int) -> int:
    megabytes = min(MAX_QUERY_STACK_MB, memory_mb // 4) if memory_mb > 0 else MAX_QUERY_STACK_MB
    return max(megabytes, 16) * 1024 * 1024


def serve(jobs: Connection, answers: Connection) -> None:
    opened = OpenBuild()
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            return
        answers.send(run(job, opened))


def _limit_memory(megabytes: int) -> None:
    """Cap the heap (not the store's mapped files): past it the engine's allocation fails and
    the process ends, which the pool reports as a query over its memory limit."""
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


class OpenBuild:
    """The build the last job named, opened read-only and kept until a job names another."""

    def __init__(self) -> None:
        self._key: tuple[str, str] | None = None
        self._store: KnowledgeStore | None = None

    def store(self, build_dir: str, base_iri: str) -> KnowledgeStore:
        if self._store is None or self._key != (build_dir, base_iri):
            self._store = EmbeddedStore(Path(build_dir), Namespaces(base_iri))
            self._key = (build_dir, base_iri)
        return self._store


def run(job: Job, opened: OpenBuild) -> Answer | Failure:
    def evaluate() -> tuple[answer.Result, dict[str, str]]:
        store = opened.store(job.build, job.base_iri)
        result = store.query(job.query, dataset=job.dataset, base_iri=job.endpoint, text=job.text)
        return result, store.namespaces.prefixes

    return answered(job, evaluate)


def answered(job: Job, evaluate: Callable[[], tuple[answer.Result, dict[str, str]]]) -> Answer | Failure:
    """The answer to ``job`` from the result ``evaluate`` gives (with the prefixes to write it
    with), or the failure that says why there is none."""
    try:
        result, prefixes = evaluate()
        return _answer(job, result, prefixes)
    except SyntaxError as exc:
        return Failure.syntax(str(exc))
    except RuntimeError as exc:  # the engine cannot evaluate the query (unknown function…)
        return Failure("evaluation", str(exc))
    except answer.Unserializable as exc:
        return Failure("unserializable", str(exc))
    except Exception as exc:
        return Failure("internal", f"{type(exc).__name__}: {exc}")


def kind_of(result: answer.Result) -> str:
    if isinstance(result, ox.QueryBoolean):
        return "boolean"
    return "solutions" if isinstance(result, ox.QuerySolutions) else "graph"


def _answer(job: Job, result: answer.Result, prefixes: dict[str, str]) -> Answer | Failure:
    return reply(
        job,
        kind_of(result),
        lambda fmt: answer.serialize(result, fmt, prefixes, job.limits),
        lambda: answer.table_json(result, job.limits),
    )


if __name__ == "__main__":
    main()
