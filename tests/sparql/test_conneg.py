"""The Accept negotiator, case by case (RFC 9110 §12.5.1)."""

from __future__ import annotations

import pytest

from kgapp.conneg import negotiate, negotiate_or_406, parse_accept, prefers_html
from kgapp.errors import NotAcceptable

RESULTS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
GRAPHS = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
JENA_SELECT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "text/tab-separated-values;q=0.7, text/csv;q=0.5, application/json;q=0.2, "
    "application/xml;q=0.2, */*;q=0.1"
)

CASES = [
    # (Accept header, offers, expected)
    (None, RESULTS, RESULTS[0]),
    ("", RESULTS, RESULTS[0]),
    ("*/*", RESULTS, RESULTS[0]),
    ("text/csv", RESULTS, "text/csv"),
    ("TEXT/CSV", RESULTS, "text/csv"),
    ("text/*", RESULTS, "text/csv"),
    ("text/*, text/tab-separated-values", RESULTS, "text/tab-separated-values"),
    ("application/sparql-results+xml;q=0.9, text/csv;q=0.5", RESULTS, RESULTS[1]),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", RESULTS, RESULTS[1]),
    ("text/csv;q=1.0, */*;q=0.1", RESULTS, "text/csv"),
    ("*/*;q=0.1, text/csv;q=0", RESULTS, RESULTS[0]),
    ("text/*;q=0, */*", RESULTS, RESULTS[0]),
    ("application/*;q=0, text/csv;q=0.1", RESULTS, "text/csv"),
    ("text/turtle", RESULTS, None),
    ("text/csv;q=0", RESULTS, None),
    ("image/png, text/html", RESULTS, None),
    ("text/turtle; charset=utf-8", GRAPHS, "text/turtle"),
    ('text/turtle;profile="x";q=0.4, application/ld+json;q=0.5', GRAPHS, "application/ld+json"),
    ("application/rdf+xml, text/turtle;q=0.9", GRAPHS, "application/rdf+xml"),
    ("text/turtle", GRAPHS, "text/turtle"),  # Comunica, CONSTRUCT
    (JENA_SELECT, RESULTS, RESULTS[0]),
    ("application/sparql-results+json;q=abc, text/csv", RESULTS, "text/csv"),
    ("garbage, text/csv", RESULTS, "text/csv"),
    ("*/html", RESULTS, RESULTS[0]),  # malformed range skipped; nothing left means anything
    ("text/csv;q=2", RESULTS, "text/csv"),
    (BROWSER, [*RESULTS, "text/html"], "text/html"),
]


@pytest.mark.parametrize(("accept", "offers", "expected"), CASES)
def test_negotiate(accept: str | None, offers: list[str], expected: str | None) -> None:
    assert negotiate(accept, offers) == expected


def test_no_offers_means_nothing_acceptable() -> None:
    assert negotiate("*/*", []) is None


def test_406_names_what_is_available() -> None:
    with pytest.raises(NotAcceptable) as caught:
        negotiate_or_406("image/png", RESULTS)
    assert caught.value.status == 406
    assert "text/csv" in caught.value.message
    assert caught.value.details["available"] == RESULTS


def test_q_values_are_clamped_and_parameters_kept() -> None:
    [ranged] = parse_accept("text/turtle; charset=UTF-8; q=7")
    assert (ranged.type, ranged.subtype, ranged.q) == ("text", "turtle", 1.0)
    assert ranged.params == (("charset", "UTF-8"),)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (BROWSER, True),
        ("text/html", True),
        (None, False),
        ("*/*", False),
        ("application/sparql-results+json", False),
        ("text/html;q=0", False),
        ("application/json, text/html;q=0.5", False),
        ("text/turtle", False),
    ],
)
def test_prefers_html(accept: str | None, expected: bool) -> None:
    assert prefers_html(accept) is expected
