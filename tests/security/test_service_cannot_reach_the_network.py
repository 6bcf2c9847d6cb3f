"""SERVICE in every lexical context a query can hold it, generated, against a loopback canary that
must see no connection: neither the refusal alone (the engine run unprotected on what the
refusal lets through) nor the live endpoint (refusal plus isolated query processes) may let one
out. pyoxigraph does execute SERVICE, so a bypass would show as a connection."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgapp.errors import QueryRefused
from kgapp.layout import current_build_dir
from kgapp.querytext import refuse
from tests.conftest import LiveServer

# The tests here share what the generator let through (LET_THROUGH): one worker runs them, in order.
pytestmark = [pytest.mark.server, pytest.mark.xdist_group("network-canary")]


@dataclass
class Canary:
    """A loopback listener that counts the connections it is offered."""

    sock: socket.socket
    connections: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    def watch(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn.recv(200).decode("latin-1", "replace"))
            conn.close()


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    watched = Canary(listener)
    threading.Thread(target=watched.watch, daemon=True).start()
    yield watched
    listener.close()


def keyword_spellings() -> st.SearchStrategy[str]:
    """SERVICE as the engine reads it, and as a scan of our own might not."""
    cased = st.sampled_from(["SERVICE", "service", "Service", "sErViCe"])
    escaped = st.sampled_from([r"\u0053ERVICE", r"S\u0045RVICE", r"\U00000053ERVICE", r"SERVIC\u0045"])
    return st.one_of(cased, escaped)


# What may stand right before the keyword: whitespace, punctuation, tokens it can be glued to.
BEFORE = [
    "",
    " ",
    "\n",
    "\t",
    ".",
    ";",
    ",",
    "{",
    "}",
    "(",
    ")",
    "1",
    "1.5",
    "1e3",
    "true",
    "?o",
    '"x"',
    '"x"@en',
    "<http://e/o>",
    "_:b",
    "?o .",
    "FILTER(?s<?o)",
    "FILTER(?a<3)",
    "#>\n",
    # Right after a colon (c:SERVICE) is the one place the refusal lets the letters through: the
    # engine then reads a prefixed name, which the unprotected runs below prove.
    "c:",
    "?s c:",
    "?s ?p c:",
    ". c:",
    "FILTER(?o = c:",
    "<http://e/o> c:",
]
# What may follow it: a SILENT, the endpoint as IRI, prefixed name (glued or not) or variable.
ENDPOINT = ["<{url}>", " <{url}>", "c:x", " c:x", "?svc", " SILENT <{url}>", "SILENT<{url}>", "\n<{url}>"]
# Where the whole thing may sit: plain, after a comment, after a string, in a nested group.
CONTEXTS = [
    "PREFIX c: <{base}>\nSELECT * WHERE {{ ?s ?p ?o {before}{keyword}{endpoint} {{ ?a ?b ?c }} }}",
    "PREFIX c: <{base}>\nSELECT * WHERE {{ # a comment with }} and <\n{before}{keyword}{endpoint} {{ }} }}",
    'PREFIX c: <{base}>\nSELECT * WHERE {{ BIND("}}" AS ?x) {before}{keyword}{endpoint} {{ }} }}',
    "PREFIX c: <{base}>\nSELECT * WHERE {{ {{ OPTIONAL {{ {before}{keyword}{endpoint} {{ }} }} }} }}",
    "PREFIX c: <{base}>\nASK {{ VALUES ?svc {{ <{url}> }} {before}{keyword}{endpoint} {{ }} }}",
]


@st.composite
def service_queries(draw: st.DrawFn, port: int) -> str:
    url = f"http://127.0.0.1:{port}/sparql"
    context = draw(st.sampled_from(CONTEXTS))
    endpoint = draw(st.sampled_from(ENDPOINT)).format(url=url)
    return context.format(
        base=f"http://127.0.0.1:{port}/",
        url=url,
        before=draw(st.sampled_from(BEFORE)),
        keyword=draw(keyword_spellings()),
        endpoint=endpoint,
    )


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def run_unprotected(query: str) -> None:
    """The engine in this test process: no namespace, no seccomp, nothing but the refusal."""
    try:
        result = ox.Store().query(query)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except (SyntaxError, OSError, RuntimeError):
        pass


@FUZZ
@given(data=st.data())
def test_the_refusal_alone_lets_no_service_call_through(canary: Canary, data: st.DataObject) -> None:
    query = data.draw(service_queries(canary.port))
    try:
        refuse(query)
    except QueryRefused:
        return
    LET_THROUGH.append(query)
    before = len(canary.connections)
    run_unprotected(query)
    assert len(canary.connections) == before, f"the engine called out for: {query!r}"


@FUZZ
@given(data=st.data())
def test_the_endpoint_lets_no_service_call_through(
    live_server: LiveServer, canary: Canary, data: st.DataObject
) -> None:
    query = data.draw(service_queries(canary.port))
    before = len(canary.connections)
    response = requests.post(live_server.url + "/sparql", data={"query": query}, timeout=30)
    assert response.status_code in {200, 400}, response.text
    assert len(canary.connections) == before, f"a query process called out for: {query!r}"


LET_THROUGH: list[str] = []


def test_the_refusal_let_some_generated_queries_through_to_the_unprotected_engine(canary: Canary) -> None:
    """Not vacuous: queries with the letters right after a colon run unprotected. The fuzz above
    usually draws some; when its draw held none (it is random), a known one runs here."""
    known = (
        f"PREFIX c: <http://127.0.0.1:{canary.port}/>\n"
        "SELECT * WHERE { ?s ?p ?o <http://e/o> c:SERVICE "
        f"<http://127.0.0.1:{canary.port}/sparql> {{ ?a ?b ?c }} }}"
    )
    if not LET_THROUGH:
        refuse(known)  # let through: SERVICE here is part of the name c:SERVICE
        before = len(canary.connections)
        run_unprotected(known)
        assert len(canary.connections) == before
        LET_THROUGH.append(known)
    assert LET_THROUGH


def test_the_canary_does_see_an_engine_that_is_not_protected(canary: Canary) -> None:
    """The tests above can fail: an unprotected engine running SERVICE does reach the canary."""
    before = len(canary.connections)
    run_unprotected(f"SELECT * {{ SERVICE <http://127.0.0.1:{canary.port}/sparql> {{ ?s ?p ?o }} }}")
    assert len(canary.connections) > before


def test_a_query_process_cannot_reach_the_canary_even_with_the_refusal_skipped(
    canary: Canary, w3c_data_dir: Path
) -> None:
    """The second layer on its own: a job that reaches a query process with SERVICE in it finds
    no network there."""
    from kgapp.engine.answer import Limits
    from kgapp.engine.job import Failure, Job
    from kgapp.engine.pool import PoolSettings, QueryPool

    pool = QueryPool(PoolSettings(1, 1.0, 2, 512, False))
    try:
        query = f"SELECT * {{ SERVICE <http://127.0.0.1:{canary.port}/sparql> {{ ?s ?p ?o }} }}"
        before = len(canary.connections)
        build_dir = str(current_build_dir(w3c_data_dir))
        job = Job(build_dir, "https://w3id.org/hkus/", query, None, Limits(10, 10_000))
        outcome = pool.execute(job, 10)
        assert isinstance(outcome, Failure) and "Permission denied" in outcome.message
        assert len(canary.connections) == before
    finally:
        pool.shutdown()
