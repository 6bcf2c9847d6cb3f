"""The analyst questions run against the built graph and return what docs/model.md shows; the
questions that need the reasoner get nothing without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgapp.dataset import DatasetRequest
from kgapp.loader import load_project
from kgapp.modeldoc import DOC_PATH, Question, answer_table, load_questions, render
from kgapp.store import KnowledgeStore

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NEEDS_REASONER = (
    "01-all-measures.rq",
    "02-us-government-bodies.rq",
    "03-response-chain.rq",
    "08-technologies-covered.rq",
    "12-signed-by-trump.rq",
    "14-reporting-lines.rq",
    "29-what-the-us-did.rq",
)


def test_there_are_at_least_fifteen_questions() -> None:
    assert len(load_questions()) >= 15


@pytest.mark.parametrize("question", load_questions(), ids=lambda q: q.name)
def test_question_is_answered_as_documented(question: Question, built_store: KnowledgeStore) -> None:
    table = answer_table(built_store, question)
    assert "\n0 row(s)." not in table, f"{question.name} has no answer"
    doc = (PROJECT_ROOT / DOC_PATH).read_text(encoding="utf-8")
    assert table in doc, f"{question.name}: docs/model.md shows another answer; run python -m kgapp.modeldoc"


@pytest.mark.parametrize("name", NEEDS_REASONER)
def test_question_needs_the_inferred_triples(name: str, built_store: KnowledgeStore) -> None:
    question = next(q for q in load_questions() if q.name == name)
    assert built_store.select(question.sparql)
    assert built_store.select(question.sparql, dataset=ASSERTED_ONLY) == []


def test_model_doc_has_not_drifted(built_store: KnowledgeStore) -> None:
    """Regenerate every generated region (diagram and answers) and compare with the file."""
    doc = (PROJECT_ROOT / DOC_PATH).read_text(encoding="utf-8")
    ontology = load_project(PROJECT_ROOT, built_store.namespaces).ontology
    assert render(doc, ontology, built_store) == doc, "docs/model.md drifted: run python -m kgapp.modeldoc"


def test_status_as_of_date_follows_the_latest_event(built_store: KnowledgeStore) -> None:
    question = next(q for q in load_questions() if q.name == "04-status-as-of-date.rq")
    rows = built_store.select(question.sparql)
    status = {r["thing"].value.rsplit("/", 1)[1]: r["statusLabel"].value for r in rows}
    assert status["us-hk-surrender-of-fugitives-agreement"] == "suspended or terminated"
    assert status["hong-kong-extradition-bill"] == "withdrawn"
    assert status["measure-us-special-treatment-of-hong-kong"] == "terminated"
    earlier = question.sparql.replace('"2020-09-01"', '"2020-06-01"')
    before = {r["thing"].value.rsplit("/", 1)[1]: r["statusLabel"].value for r in built_store.select(earlier)}
    assert before["hong-kong-national-security-law"] == "approved"
    assert before["us-hk-surrender-of-fugitives-agreement"] == "in force"


ASSERTED_ONLY = DatasetRequest(inference=False)
