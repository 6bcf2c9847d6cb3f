"""Each shape catches the bad data it is for: one fixture per case under fixtures/, each naming the
shape it exercises, the node it is about and the message expected; and the real data conforms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from kgapp.loader import load_project
from kgapp.namespaces import Namespaces
from kgapp.rdflibterms import SH
from kgapp.validation import ValidationReport, validate_files, validate_project

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NAMESPACES = Namespaces()


@dataclass(frozen=True)
class BadCase:
    path: Path
    shape: str
    focus: str
    expect: str
    severity: str


def read_case(path: Path) -> BadCase:
    headers = dict(re.findall(r"^# (\w+): (.*)$", path.read_text(encoding="utf-8"), re.MULTILINE))
    missing = {"shape", "focus", "expect"} - headers.keys()
    if missing:
        raise AssertionError(f"{path.name}: header lacks {sorted(missing)}")
    return BadCase(
        path, headers["shape"], headers["focus"], headers["expect"], headers.get("severity", "Violation")
    )


def bad_cases() -> list[BadCase]:
    return [read_case(p) for p in sorted(FIXTURES.glob("*.ttl"))]


@pytest.fixture(scope="module")
def fixtures_report() -> ValidationReport:
    """All bad fixtures validated together, in the context of the real project."""
    return validate_files(sorted(FIXTURES.glob("*.ttl")), PROJECT_ROOT, NAMESPACES)


def test_there_are_bad_fixtures() -> None:
    assert len(bad_cases()) >= 20


def test_every_node_shape_has_a_bad_fixture() -> None:
    shapes = Graph().parse(PROJECT_ROOT / "shapes" / "hkus.ttl")
    node_shapes = {shapes.namespace_manager.normalizeUri(s) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    covered = {case.shape for case in bad_cases()}
    assert node_shapes, "no node shapes found"
    assert node_shapes - covered == set()


@pytest.mark.parametrize("case", bad_cases(), ids=lambda c: c.path.stem)
def test_shape_catches_bad_fixture(case: BadCase, fixtures_report: ValidationReport) -> None:
    focus = case.focus.replace("id:", str(NAMESPACES.entity)).replace("src:", str(NAMESPACES.source))
    caught = [
        r
        for r in fixtures_report.results
        if r.focus in (focus, case.focus) and case.expect in r.message and r.severity == case.severity
    ]
    others = [r.format() for r in fixtures_report.results if r.focus in (focus, case.focus)]
    assert caught, f"{case.path.name}: expected {case.severity} {case.expect!r}; got {others}"


def test_real_data_conforms_with_the_known_disagreements_as_warnings() -> None:
    report = validate_project(load_project(PROJECT_ROOT, NAMESPACES))
    assert report.violations == [], report.text()
    assert {r.focus for r in report.warnings} == {
        str(NAMESPACES.entity) + name
        for name in (
            "event-nsl-entry-into-force",
            "event-us-defence-export-ban-announcement",
            "figure-us-exports-to-hong-kong-2018",
        )
    }


def test_regression_every_logical_constraint_says_what_is_wrong_in_its_own_words() -> None:
    """A shape with sh:or, sh:xone, sh:and or sh:not and no sh:message left the message to the
    engine, and pyshacl-turbo words it differently from pySHACL ('OrConstraintComponent violated
    at …'): a curator got an engine's jargon, and the engines' reports differed."""
    shapes = Graph()
    for path in sorted((PROJECT_ROOT / "shapes").glob("*.ttl")):
        shapes.parse(path)
    silent = [
        f"{shape} ({constraint.split('#')[-1]})"
        for constraint in (SH["or"], SH.xone, SH["and"], SH["not"])
        for shape in shapes.subjects(constraint, None)
        if (shape, SH.message, None) not in shapes
    ]
    assert silent == []
