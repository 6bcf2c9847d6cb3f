"""Ontology checks: each a named SPARQL file under kgapp/queries/checks/ that must return no rows,
run against the built graph (ontology and asserted data, without inferences)."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pytest
from rdflib import Graph

from kgapp.dataset import DatasetRequest
from kgapp.store import KnowledgeStore

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HKUS = "https://w3id.org/hkus/ontology/"


def check_files() -> list[Traversable]:
    folder = resources.files("kgapp.queries") / "checks"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)


def test_there_are_ontology_checks() -> None:
    """An empty set of checks must fail, not pass silently."""
    assert len(check_files()) >= 10


@pytest.mark.parametrize("check", check_files(), ids=lambda f: f.name)
def test_check_returns_no_rows(check: Traversable, built_store: KnowledgeStore) -> None:
    text = check.read_text(encoding="utf-8")
    assert text.startswith("# "), f"{check.name}: the first line must say what the check is for"
    rows = built_store.select(text, dataset=ASSERTED_ONLY)
    assert rows == [], f"{check.name}: {[{k: str(v) for k, v in r.items()} for r in rows]}"


def test_checks_catch_a_broken_term(built_store: KnowledgeStore) -> None:
    """The label check is not vacuous: it finds a class that has no label."""
    check = next(f for f in check_files() if f.name == "term-has-label.rq")
    graph = Graph()
    graph.parse(data=f"<{HKUS}Unlabelled> a <http://www.w3.org/2002/07/owl#Class> .", format="turtle")
    rows = list(graph.query(check.read_text(encoding="utf-8")))
    assert [str(r[0]) for r in rows] == [HKUS + "Unlabelled"]


def test_conflict_shape_reads_the_single_valued_annotation() -> None:
    """The disagreement rule has no property list of its own: the shape selects the properties
    the ontology annotates hkus:singleValued, so marking one more property needs no shape edit."""
    shapes_text = (PROJECT_ROOT / "shapes" / "hkus.ttl").read_text(encoding="utf-8")
    conflict_shape = shapes_text[shapes_text.index("hkussh:ConflictShape") :].split("] .", 1)[0]
    assert "?property hkus:singleValued true" in conflict_shape
    assert "?property IN" not in conflict_shape


ASSERTED_ONLY = DatasetRequest(inference=False)
