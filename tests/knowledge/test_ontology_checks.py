"""Ontology checks: each a named SPARQL file under kgapp/queries/checks/ that must return no rows,
run against the built graph (ontology and asserted data, without inferences)."""

from __future__ import annotations

import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pytest
from rdflib import Graph, Literal

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
    rows = built_store.select(text, inferences=False)
    assert rows == [], f"{check.name}: {[{k: str(v) for k, v in r.items()} for r in rows]}"


def test_checks_catch_a_broken_term(built_store: KnowledgeStore) -> None:
    """The label check is not vacuous: it finds a class that has no label."""
    check = next(f for f in check_files() if f.name == "term-has-label.rq")
    graph = Graph()
    graph.parse(data=f"<{HKUS}Unlabelled> a <http://www.w3.org/2002/07/owl#Class> .", format="turtle")
    rows = list(graph.query(check.read_text(encoding="utf-8")))
    assert [str(r[0]) for r in rows] == [HKUS + "Unlabelled"]


@pytest.mark.xfail(
    strict=True,
    reason="the conflicts shape is to be derived from the hkus:singleValued annotation; until then its "
    "hand-kept list lacks the properties annotated since (hkus:title, hkus:inDocument, hkus:voteResult…)",
)
def test_conflict_shape_lists_exactly_the_single_valued_properties() -> None:
    """SHACL-SPARQL cannot see ontology annotations, so the shape names the single-valued
    properties itself; this keeps that list equal to the annotated set. Strict xfail: once the
    shape is generated from the annotation this passes, and the marker must go."""
    ontology = Graph().parse(PROJECT_ROOT / "ontology" / "hkus.ttl")
    annotated = {
        str(s).removeprefix(HKUS)
        for s, o in ontology.subject_objects(ontology.namespace_manager.expand_curie("hkus:singleValued"))
        if o == Literal(True)
    }
    shapes_text = (PROJECT_ROOT / "shapes" / "hkus.ttl").read_text(encoding="utf-8")
    listed = re.search(r"FILTER \(\?property IN \((.*?)\)\)", shapes_text, re.DOTALL)
    assert listed, "the conflict shape's property list was not found"
    in_shape = {name.strip().removeprefix("hkus:") for name in listed.group(1).split(",")}
    assert annotated == in_shape
