"""Regression tests for the attack on the remote-store mode, each on the backend where it was
found (docs/security.md maps each protection to its test).

On Virtuoso a reader reached the store's own functions (``bif:``), its ``DEFINE`` pragmas and
its SQL through three lexical gaps between our tokenizer and Virtuoso's: a language tag read as
``PREFIX``, a token glued to a digit, and a carriage return that ended a comment for us but not
for the store. Now the store is sent only text our grammar wrote; these tests send the attacks
as they were sent, and check that nothing reached the store.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import LiveServer, start_server, stop_server
from tests.stores import StoreServer
from tests.waiting import wait_until

pytestmark = [pytest.mark.server, pytest.mark.store]

JSON = {"Accept": "application/sparql-results+json"}
WRITTEN = "urn:kgapp-test:written-by-an-attacker"
# Each way in the attack found, around a payload: {0} is the call to a store function.
TRICKS = {
    "a language tag read as PREFIX": 'SELECT ?v WHERE {{ ?s ?p ""@PREFIX bif:x <x> . BIND({0} AS ?v) }} LIMIT 1',  # noqa: E501
    "a token glued to a digit": "SELECT ?v WHERE {{ BIND(1-{0} AS ?v) }}",
    "a carriage return ending a comment": "SELECT * WHERE {{}} #\r'''\nSELECT ({0} AS ?v) WHERE {{}}\n#'''",
}


class Listener:
    """An HTTP server on the host's loopback that records every request it gets: what an SSRF
    would reach."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"secret-from-the-host")

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/secret"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def payloads(listener: Listener, store: StoreServer) -> dict[str, str]:
    update_url = store.settings["remote_update_url"]
    insert = f"INSERT DATA {{ GRAPH <{WRITTEN}> {{ <{WRITTEN}> <{WRITTEN}> <{WRITTEN}> }} }}"
    return {
        "the store's version": "bif:sys_stat('st_dbms_ver')",
        "a request to the host's loopback (SSRF)": f"bif:http_get('{listener.url}')",
        "a secret of the configuration": "bif:cfg_item_value(virtuoso_ini_path(), 'Parameters', 'ServerPort')",  # noqa: E501
        "a write through the store's own HTTP client": (
            f"bif:http_client('{update_url}?query={requests.utils.quote(insert)}', "
            "null, 'POST', null, null, null, 'dba', 'dba')"
        ),
        "a pause that holds a store thread": "bif:delay(5)",
    }


def store_holds_the_written_triple(store: StoreServer) -> bool:
    response = requests.post(
        store.settings["remote_update_url"],
        data={"query": f"ASK {{ GRAPH <{WRITTEN}> {{ ?s ?p ?o }} }}"},
        headers=JSON,
        auth=requests.auth.HTTPDigestAuth(store.settings["remote_user"], store.settings["remote_password"]),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return bool(response.json()["boolean"])


@pytest.fixture(scope="module")
def on_virtuoso(server_on: Callable[[str], LiveServer]) -> LiveServer:
    return server_on("virtuoso")


@pytest.mark.parametrize("trick", TRICKS)
def test_no_lexical_trick_reaches_a_virtuoso_function(
    on_virtuoso: LiveServer, virtuoso_store: StoreServer, listener: Listener, trick: str
) -> None:
    for what, call in payloads(listener, virtuoso_store).items():
        query = TRICKS[trick].format(call)
        started = time.monotonic()
        response = requests.get(
            on_virtuoso.url + "/sparql", params={"query": query}, headers=JSON, timeout=30
        )
        assert response.status_code == 400, (what, response.status_code, response.text[:300])
        assert time.monotonic() - started < 2, what
        assert "07.20" not in response.text and "secret-from-the-host" not in response.text, what
    assert listener.requests == [], "the store fetched a URL on the host"
    assert not store_holds_the_written_triple(virtuoso_store)


def test_a_hidden_define_never_reaches_virtuoso(on_virtuoso: LiveServer) -> None:
    """A DEFINE after a carriage return that ends a comment for us, not for Virtuoso, reading
    the store's own graphs."""
    query = (
        "SELECT * WHERE {} #\r'''\nDEFINE input:storage \"\" SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } #'''"
    )
    response = requests.get(on_virtuoso.url + "/sparql", params={"query": query}, headers=JSON, timeout=30)
    assert response.status_code == 400, response.text[:300]
    assert "virtrdf" not in response.text


def test_a_flood_of_store_pauses_holds_nothing(on_virtuoso: LiveServer) -> None:
    """24 requests for ``bif:delay`` held every page at 504 for 40 s; now each is refused before
    the store is asked, and pages keep answering."""
    query = TRICKS["a token glued to a digit"].format("bif:delay(10)")

    def attack(_: int) -> int:
        return requests.get(on_virtuoso.url + "/sparql", params={"query": query}, timeout=30).status_code

    started = time.monotonic()
    with ThreadPoolExecutor(24) as pool:
        statuses = list(pool.map(attack, range(24)))
    assert set(statuses) == {400}
    assert time.monotonic() - started < 10
    assert requests.get(on_virtuoso.url + "/id/hong-kong", timeout=10).status_code == 200


def test_the_web_app_reads_with_an_account_that_cannot_write(virtuoso_store: StoreServer) -> None:
    """Should a way past the parser ever be found, the account the web app uses can write
    nothing: the store refuses it an update."""
    reader = virtuoso_store.reader_settings
    assert reader["remote_user"] != virtuoso_store.settings["remote_user"]
    assert reader["remote_user"] != "dba"
    response = requests.post(
        reader["remote_query_url"],
        data={"query": f"INSERT DATA {{ GRAPH <{WRITTEN}> {{ <{WRITTEN}> <{WRITTEN}> 1 }} }}"},
        auth=requests.auth.HTTPDigestAuth(reader["remote_user"], reader["remote_password"]),
        timeout=30,
    )
    assert response.status_code >= 400
    assert not store_holds_the_written_triple(virtuoso_store)
    default = requests.post(
        reader["remote_query_url"],
        data={"query": "ASK {}"},
        auth=requests.auth.HTTPDigestAuth("dba", "dba"),
        timeout=30,
    )
    assert default.status_code == 401, "the administrator still has the default password"


@pytest.mark.parametrize("backend", ["oxigraph", "virtuoso"])
def test_store_internals_do_not_leak(
    server_on: Callable[[str], LiveServer], backend: str, request: pytest.FixtureRequest
) -> None:
    """Virtuoso's errors passed through with the query it compiled and the graph list; /health
    and a request naming over 100 graphs named the store's URL."""
    server = server_on(backend)
    store: StoreServer = request.getfixturevalue(f"{backend}_store")
    address = store.query_url.split("/")[2]
    failing = "SELECT * WHERE { BIND(EXISTS { ?s ?p ?o } AS ?x) }"  # Virtuoso rejects EXISTS in BIND
    many_graphs = [("default-graph-uri", f"http://example.org/g{i}") for i in range(101)]
    responses = [
        requests.get(server.url + "/sparql", params={"query": failing}, headers=JSON, timeout=30),
        requests.get(server.url + "/sparql", params=[("query", "ASK {}"), *many_graphs], timeout=30),
        requests.get(server.url + "/health", timeout=30),
    ]
    for response in responses:
        text = response.text
        assert response.status_code != 502, text[:300]
        assert address not in text and "SPARQL query:" not in text, text[:500]
        assert "input:default-graph-uri" not in text and "define " not in text.lower(), text[:500]
    assert responses[1].status_code == 400


def process_tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        stack += [int(child) for child in children]
    return total / 1024


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["oxigraph", "virtuoso"])
def test_two_one_megabyte_queries_cost_their_size_not_gigabytes(
    server_on: Callable[[str], LiveServer], backend: str
) -> None:
    """One 1 MB query cost 2 GB and 37 s before its deadline even started: the rewrite that
    keeps blank nodes answering as blank nodes copied its arguments per nesting level."""
    server = server_on(backend)
    tests = ", ".join(["isBlank(?o)"] * 75_000)
    query = f"SELECT * WHERE {{ ?s ?p ?o FILTER(true IN ({tests})) }} LIMIT 1"
    assert 950_000 < len(query) < 1_000_000
    before = process_tree_rss_mb(server.process.pid)
    started = time.monotonic()

    def send(_: int) -> int:
        return requests.post(
            server.url + "/sparql",
            params={"timeout": "10"},
            data=query.encode(),
            headers={"Content-Type": "application/sparql-query"},
            timeout=60,
        ).status_code

    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(send, range(2)))
    elapsed = time.monotonic() - started
    assert all(status in {200, 400, 503, 504} for status in statuses), statuses
    assert elapsed < 25, elapsed
    assert process_tree_rss_mb(server.process.pid) - before < 600
    health = requests.get(server.url + "/health", timeout=10)
    assert health.status_code == 200, (statuses, health.text)


# A join of the whole graph with itself that yields almost no row: stores stop it between rows.
SELF_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STRLEN(STR(?c)) + STRLEN(STR(?f)) = 1000001) }"
# A count over a three-way cross join: oxigraph serve yields nothing until it has counted, and
# cannot stop it at its own limit (measured: 41 s past a 5 s limit on the real graph).
COUNTED_CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["oxigraph", "virtuoso"])
def test_a_query_given_up_on_stops_running_at_the_store(
    server_on: Callable[[str], LiveServer], backend: str, request: pytest.FixtureRequest
) -> None:
    """On ``oxigraph serve`` a query we had answered 503 kept a core busy for as long as it was
    watched. Started as the docs say (``--timeout-s``, ``MaxQueryExecutionTime``), the store is
    idle again within a few seconds of its own limit."""
    server = server_on(backend)
    store: StoreServer = request.getfixturevalue(f"{backend}_store")
    idle_within(store, 30, "before the query")  # what earlier tests left running has ended
    response = requests.get(server.url + "/sparql", params={"query": SELF_JOIN, "timeout": "1"}, timeout=30)
    assert response.status_code in {503, 504}, response.text[:300]  # Virtuoso may refuse it by estimate
    idle_within(store, 20, "after the query was given up on")


@pytest.mark.slow
def test_a_query_the_store_cannot_stop_keeps_its_place_until_the_stores_limit(
    oxigraph_store: StoreServer, built_data_dir: Path, tmp_path: Path
) -> None:
    """oxigraph serve runs a count over a large join on past its own limit: a flood of them,
    each abandoned by us after a second, would pile up there. Each keeps its place among the
    queries at the store until the store's limit has passed, so the next is turned away here."""
    server = start_server(
        built_data_dir,
        tmp_path / "server.log",
        **oxigraph_store.reader_settings,
        web_workers="1",
        query_workers="1",
        query_queue_wait_s="0.1",
        remote_store_limit_s="4",
    )
    try:
        first = requests.get(
            server.url + "/sparql", params={"query": COUNTED_CROSS_JOIN, "timeout": "1"}, timeout=30
        )
        assert first.status_code == 503 and "stopped after" in first.json()["message"]
        given_up = time.monotonic()
        second = requests.get(server.url + "/sparql", params={"query": "ASK {}"}, headers=JSON, timeout=30)
        assert second.status_code == 503 and "already" in second.json()["message"]
        wait_until(
            lambda: (
                requests.get(
                    server.url + "/sparql", params={"query": "ASK {}"}, headers=JSON, timeout=30
                ).status_code
                == 200
            ),
            timeout=15,
        )
        assert time.monotonic() - given_up >= 2  # the place was kept until the store's limit
    finally:
        stop_server(server)


def idle_within(store: StoreServer, seconds: float, when: str) -> None:
    """Wait until the store's process uses less than a fifth of a core over a second."""
    deadline = time.monotonic() + seconds
    samples = []
    while time.monotonic() < deadline:
        before = store.cpu_seconds()
        time.sleep(1)
        samples.append(round(store.cpu_seconds() - before, 2))
        if samples[-1] < 0.2:
            return
    pytest.fail(f"{store.name} kept running a query {when}: CPU seconds per second {samples}")


def test_store_setup_follows_the_docs() -> None:
    """The test stores are started as docs/deploy.md tells users to."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "deploy.md").read_text(encoding="utf-8")
    for needed in ("--timeout-s", "MaxQueryExecutionTime", "SPARQL_SELECT", "USER_SET_PASSWORD"):
        assert needed in docs, needed


LEXICAL_PIECES = st.sampled_from(
    [
        "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "?s", "?p", "?o", ".",
        "<http://e/x>", "id:x", "hkus:Measure", "FILTER", "BIND", "AS", "GRAPH", "FROM", "LIMIT 1",
        "#", "#\r", "\r", "\n", "'''", '"""', "'", '"', '""@PREFIX', "@PREFIX", "@en", "1-", "1.e5",
        "bif:delay(1)", "bif:", "sql:x", "DEFINE", "SERVICE", "PREFIX", "\\u0023", "\\", "isBlank(?o)",
        "isIRI(", "STR(", "a", ";", ",", "*", "x" * 300,
    ]
)  # fmt: skip


@given(pieces=st.lists(LEXICAL_PIECES, min_size=1, max_size=16))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.parametrize("backend", ["oxigraph", "virtuoso"])
def test_no_query_text_is_a_server_error_on_a_remote_store(
    server_on: Callable[[str], LiveServer], backend: str, pieces: list[str]
) -> None:
    """The hypothesis that holds the embedded store to "no 500", on the texts sent to each
    remote store: comments, line ends, quotes, language tags and glued tokens."""
    query = " ".join(pieces)
    server = server_on(backend)
    response = requests.get(server.url + "/sparql", params={"query": query}, headers=JSON, timeout=30)
    assert response.status_code not in {500, 502}, (query, response.text[:300])
