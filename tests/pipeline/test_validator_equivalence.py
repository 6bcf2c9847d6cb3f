"""pyshacl-turbo gives pySHACL's results (the reference) — every field of every result — on the
real graph with every bad fixture, and on generated graphs with random damage. A shape that
pyshacl-turbo evaluates differently makes these tests fail."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgapp.generate import generate
from kgapp.loader import Project, load_project
from kgapp.namespaces import Namespaces
from kgapp.validation import ValidationInput, input_of, validate_input
from tests.conftest import PROJECT_ROOT

pytestmark = [pytest.mark.slow]

FIXTURES = sorted((PROJECT_ROOT / "tests" / "knowledge" / "fixtures").glob("*.ttl"))
XSD = "http://www.w3.org/2001/XMLSchema#"


def assert_same_results(given_input: ValidationInput, project: Project) -> int:
    ours = validate_input(given_input, project, validator="pyshacl-turbo").results
    reference = validate_input(given_input, project, validator="pyshacl").results
    assert ours == reference
    return len(ours)


def test_same_results_as_pyshacl_on_the_real_graph_and_every_bad_fixture() -> None:
    assert FIXTURES
    project = load_project(PROJECT_ROOT, Namespaces(), extra=FIXTURES)
    assert assert_same_results(input_of(project), project) >= len(FIXTURES)


def damaged(given_input: ValidationInput, seed: int, damage: int) -> ValidationInput:
    """Remove, retype and redirect a few data triples, as a careless edit would."""
    rng = random.Random(seed)
    data = list(given_input.data)
    for _ in range(damage):
        index = rng.randrange(len(data))
        t = data[index]
        kind = rng.choice(["remove", "bad literal", "wrong object", "wrong datatype"])
        if kind == "remove":
            data.pop(index)
        elif kind == "bad literal":
            data[index] = ox.Triple(
                t.subject, t.predicate, ox.Literal("not a date", datatype=ox.NamedNode(XSD + "date"))
            )
        elif kind == "wrong object":
            data[index] = ox.Triple(t.subject, t.predicate, rng.choice(data).subject)
        else:
            data[index] = ox.Triple(
                t.subject, t.predicate, ox.Literal("12", datatype=ox.NamedNode(XSD + "integer"))
            )
    return ValidationInput(data, given_input.ontology, given_input.shapes)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Project:
    directory = tmp_path_factory.mktemp("generated")
    generate(400, directory, seed=7)
    return load_project(directory, Namespaces())


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), damage=st.integers(1, 12))
def test_same_results_as_pyshacl_on_damaged_generated_graphs(
    generated: Project, seed: int, damage: int
) -> None:
    assert_same_results(damaged(input_of(generated), seed, damage), generated)


def test_damage_is_seen(generated: Project) -> None:
    """The damaged graphs above do not conform (the comparison is not between two empty reports)."""
    results = validate_input(damaged(input_of(generated), 3, 12), generated).results
    assert any(r.severity == "Violation" for r in results)
