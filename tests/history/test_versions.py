"""Every page, document and query as of any retained version (``/v/<n>/…``), Memento (RFC 7089)
TimeGates and TimeMaps, the changes page and feed, each entity's history; 410 for a pruned
version, 404 for an unknown one, 400 for a malformed date — and never a 500."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from itertools import pairwise
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgapp.build import build
from kgapp.commits.change import Change
from kgapp.commits.writer import Writer
from kgapp.namespaces import Namespaces
from kgapp.versions import VersionIndex
from tests.conftest import app_for, settings_for

STATEMENT = ox.NamedNode("https://w3id.org/hkus/id/statement-1")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
GRAPH = "https://w3id.org/hkus/graph/source/doc1"
LABEL_QUERY = f"SELECT ?l WHERE {{ <{STATEMENT.value}> <{LABEL.value}> ?l }}"
PATHS = (
    "/",
    "/index.json",
    "/browse.json",
    "/id/statement-1.json",
    "/id/statement-1.ttl",
    "/id/statement-1.html",
    "/timeline.json",
    "/search.json?q=statement",
    "/sparql?query=" + quote(LABEL_QUERY, safe=""),
    "/sparql",  # the service description
    "/.well-known/void",
    "/dumps/hkus.nq.gz",
)
VOLATILE = re.compile(rb"\d+(\.\d+)? ms|took [^<\"]*")
COMMITS = 3


def labelled(number: int) -> ox.Triple:
    text = "Statement on exports" if number == 0 else f"Statement, revision {number}"
    return ox.Triple(STATEMENT, LABEL, ox.Literal(text, language="en"))


def body(client: FlaskClient, path: str) -> bytes:
    accept = {"Accept": "text/turtle"} if path in ("/sparql", "/.well-known/void") else {}
    if "sparql?" in path:
        accept = {"Accept": "application/sparql-results+json"}
    response = client.get(path, headers=accept)
    assert response.status_code == 200, (path, response.status_code, response.get_data()[:300])
    return VOLATILE.sub(b"", response.get_data())


@pytest.fixture(scope="module")
def versioned(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> dict[str, object]:
    """The small project built, then relabelled in three commits; what the live site answered
    at each version, recorded before the next commit."""
    root = tmp_path_factory.mktemp("versions")
    project = root / "project"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "mini", project)
    config = settings_for(project, project / "var", keep_versions=3)
    build(config)
    client = app_for(request, config).test_client()
    seen: dict[int, dict[str, bytes]] = {}
    with Writer(config) as writer:
        for number in range(1, COMMITS + 1):
            current = writer.current
            assert current is not None
            seen[current] = {path: body(client, path) for path in PATHS}
            change = Change(
                removed={GRAPH: {labelled(number - 1)}},
                added={GRAPH: {labelled(number)}},
                agent="curator",
                message=f"revision {number}",
            )
            writer.commit(change)
        assert writer.current is not None
        seen[writer.current] = {path: body(client, path) for path in PATHS}
    return {"client": client, "seen": seen, "last": writer.current, "data_dir": project / "var"}


def test_every_retained_version_answers_as_the_live_site_did_when_it_was_current(
    versioned: dict[str, object],
) -> None:
    client, seen = versioned["client"], versioned["seen"]
    assert isinstance(client, FlaskClient) and isinstance(seen, dict)
    retained = sorted(seen)[-3:]  # keep_versions = 3
    for number in retained:
        for path in PATHS:
            got = body(client, f"/v/{number}{path}")
            assert _same_but_links(got, seen[number][path], number), (number, path)


def _same_but_links(versioned_body: bytes, live_body: bytes, number: int) -> bool:
    """A versioned page links inside its version: the same page once ``/v/<n>`` is taken out (of
    both: the live page cites its version's permanent address too)."""

    def unversioned(page: bytes) -> bytes:
        return page.replace(f"/v/{number}/".encode(), b"/").replace(f"/v/{number}".encode(), b"")

    ours, theirs = unversioned(versioned_body), unversioned(live_body)
    if ours == theirs:
        return True
    if not ours.startswith(b"@prefix"):
        return False
    return canonical_turtle(ours) == canonical_turtle(theirs)  # blank node labels differ


def canonical_turtle(text: bytes) -> ox.Dataset:
    dataset = ox.Dataset(ox.parse(text, format=ox.RdfFormat.TURTLE))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def test_links_inside_a_versioned_page_stay_inside_the_version(versioned: dict[str, object]) -> None:
    client, last = versioned["client"], versioned["last"]
    assert isinstance(client, FlaskClient)
    html = client.get(f"/v/{last}/id/statement-1.html").get_data(as_text=True)
    local = [h for h in re.findall(r'href="(/[^"]*)"', html) if not h.startswith("/static/")]
    assert local and all(h.startswith(f"/v/{last}/") for h in local), [
        h for h in local if not h.startswith(f"/v/{last}/")
    ][:5]


def test_a_versioned_answer_is_immutable_and_says_its_time(versioned: dict[str, object]) -> None:
    client, last = versioned["client"], versioned["last"]
    assert isinstance(client, FlaskClient)
    response = client.get(f"/v/{last}/id/statement-1.json")
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["ETag"] and not response.headers["ETag"].startswith("W/")
    assert response.headers["Memento-Datetime"].endswith("GMT")
    assert '<http://localhost/id/statement-1.json>; rel="original timegate"' in response.headers["Link"]


def test_a_pruned_version_is_gone_with_the_nearest_kept_one_and_an_unknown_one_is_not_found(
    versioned: dict[str, object],
) -> None:
    client, seen = versioned["client"], versioned["seen"]
    assert isinstance(client, FlaskClient) and isinstance(seen, dict)
    pruned = min(seen)
    gone = client.get(f"/v/{pruned}/", headers={"Accept": "application/json"})
    assert gone.status_code == 410
    assert gone.get_json()["nearest"] == sorted(seen)[-3]
    assert client.get("/v/999/", headers={"Accept": "application/json"}).status_code == 404


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def test_a_timegate_redirects_to_the_version_in_force_at_a_time(versioned: dict[str, object]) -> None:
    client, last = versioned["client"], versioned["last"]
    assert isinstance(client, FlaskClient) and isinstance(last, int)
    now = datetime.now(UTC) + timedelta(days=1)
    after = client.get("/id/statement-1", headers={"Accept-Datetime": http_date(now)})
    assert after.status_code == 302
    assert after.headers["Location"].endswith(f"/v/{last}/id/statement-1")
    assert "accept-datetime" in after.headers["Vary"].lower()
    assert 'rel="timemap"' in after.headers["Link"]
    before = client.get("/id/statement-1", headers={"Accept-Datetime": "Thu, 01 Jan 1970 00:00:00 GMT"})
    assert before.status_code in (302, 410)  # the first version, or its being pruned
    malformed = client.get("/id/statement-1", headers={"Accept-Datetime": "yesterday"})
    assert malformed.status_code == 400
    endpoint = client.get("/sparql?query=ASK%7B%7D", headers={"Accept-Datetime": http_date(now)})
    assert endpoint.status_code == 302 and f"/v/{last}/sparql?query=" in endpoint.headers["Location"]


def test_an_original_says_it_is_a_timegate(versioned: dict[str, object]) -> None:
    client = versioned["client"]
    assert isinstance(client, FlaskClient)
    response = client.get("/id/statement-1.json")
    assert "accept-datetime" in response.headers["Vary"].lower()


def test_a_timemap_lists_the_versions_that_changed_an_entity(versioned: dict[str, object]) -> None:
    client, seen = versioned["client"], versioned["seen"]
    assert isinstance(client, FlaskClient) and isinstance(seen, dict)
    links = client.get("/timemap/link/id/statement-1")
    assert links.status_code == 200 and links.mimetype == "application/link-format"
    listed = re.findall(r"</v/(\d+)/id/statement-1>", links.get_data(as_text=True))
    assert [int(n) for n in listed] == sorted(seen)[-3:]
    as_json = client.get("/timemap/json/id/statement-1").get_json()
    assert [m["uri"] for m in as_json["mementos"]["list"]] == [f"/v/{n}/id/statement-1" for n in listed]


def test_history_and_the_changes_page_agree_with_the_change_records(versioned: dict[str, object]) -> None:
    client, last = versioned["client"], versioned["last"]
    assert isinstance(client, FlaskClient) and isinstance(last, int)
    changes = client.get("/changes.json").get_json()
    assert [v["number"] for v in changes["versions"]] == list(range(last, 0, -1))
    record = client.get(f"/changes/{last}.json").get_json()
    assert record["version"]["message"] == f"revision {COMMITS}"
    facts = {(f["op"], f["object"]["label"]) for f in record["facts"]}
    assert facts == {("-", f"Statement, revision {COMMITS - 1}"), ("+", f"Statement, revision {COMMITS}")}
    history = client.get("/history/id/statement-1.json").get_json()
    assert [v["number"] for v, _facts in history["changes"]] == list(range(last, 1, -1))
    feed = client.get("/changes.atom")
    assert feed.mimetype == "application/atom+xml" and feed.get_data(as_text=True).count("<entry>") == last


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    number=st.one_of(st.integers(-5, 10**12), st.text(max_size=12)),
    moment=st.one_of(st.text(max_size=40), st.datetimes(timezones=st.just(UTC)).map(http_date)),
)
def test_no_version_number_or_date_is_a_500(
    versioned: dict[str, object], number: object, moment: str
) -> None:
    client = versioned["client"]
    assert isinstance(client, FlaskClient)
    for path in (f"/v/{number}/", f"/v/{number}/id/statement-1.json", f"/timemap/json/v/{number}"):
        assert client.get(path).status_code < 500, path
    try:
        response = client.get("/id/statement-1", headers={"Accept-Datetime": moment})
    except ValueError:  # a header value the test client itself cannot send
        return
    assert response.status_code < 500, moment


def test_blame_names_the_version_that_put_each_fact_in(versioned: dict[str, object]) -> None:
    client, last = versioned["client"], versioned["last"]
    assert isinstance(client, FlaskClient) and isinstance(last, int)
    history = client.get("/history/id/statement-1.json").get_json()
    since = {
        (fact["predicate"]["label"], fact["object"]["label"]): version for fact, version in history["blame"]
    }
    assert since[("name", f"Statement, revision {COMMITS}")] == last  # the last commit put it in (rdfs:label)
    assert all(version is None for (prop, _value), version in since.items() if prop != "name")
    past = client.get(f"/v/{last - 1}/history/id/statement-1.json").get_json()
    assert {v["number"] for v, _facts in past["changes"]} == set(range(2, last))  # none after it


def test_two_versions_of_a_thing_compare_side_by_side(versioned: dict[str, object]) -> None:
    client, last = versioned["client"], versioned["last"]
    assert isinstance(client, FlaskClient) and isinstance(last, int)
    compared = client.get(f"/compare/id/statement-1.json?from={last - 1}&to={last}").get_json()
    assert {(f["op"], f["object"]["label"]) for f in compared["facts"]} == {
        ("-", f"Statement, revision {COMMITS - 1}"),
        ("+", f"Statement, revision {COMMITS}"),
    }
    assert client.get(f"/compare/id/statement-1?from=x&to={last}").status_code == 400
    assert client.get(f"/compare/id/statement-1?from=1&to={last}").status_code == 410  # pruned


def test_a_time_between_two_versions_gets_the_earlier_one(versioned: dict[str, object]) -> None:
    """(The commits above land within one second, finer than an HTTP date: the policy is asked
    directly, at the resolution the history keeps.)"""
    data_dir = versioned["data_dir"]
    assert isinstance(data_dir, Path)
    index = VersionIndex(data_dir, Namespaces())
    every = index.all()
    for earlier, later in pairwise(every):
        between = earlier.committed_at + (later.committed_at - earlier.committed_at) / 2
        assert index.in_force_at(between) == earlier
    assert index.in_force_at(every[0].committed_at - timedelta(days=1)) == every[0]
    assert index.in_force_at(every[-1].committed_at + timedelta(days=1)) == every[-1]


def test_the_feed_links_each_version_to_the_things_it_touched(versioned: dict[str, object]) -> None:
    client, last = versioned["client"], versioned["last"]
    assert isinstance(client, FlaskClient)
    feed = client.get("/changes.atom").get_data(as_text=True)
    newest = feed.split("<entry>")[1]
    assert f"Version {last}:" in newest
    assert 'rel="related" type="text/html" title="Statement, revision' in newest
    assert "/id/statement-1" in newest


def test_regression_a_timemap_or_timegate_of_nothing_we_know_is_a_404(versioned: dict[str, object]) -> None:
    """A TimeMap of an unknown thing listed the oldest version, and /timegate/ of a path that
    names nothing redirected to it."""
    client = versioned["client"]
    assert isinstance(client, FlaskClient)
    assert client.get("/timemap/json/id/no-such-thing").status_code == 404
    assert client.get("/timegate/https://w3id.org/hkus/id/no-such-thing").status_code == 404
    assert client.get("/timegate/%00%ff").status_code == 404
    assert client.get("/timegate/https://w3id.org/hkus/id/statement-1").status_code == 302
    assert client.get("/timemap/link/sparql").status_code == 200
