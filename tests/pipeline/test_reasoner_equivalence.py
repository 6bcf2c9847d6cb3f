"""The rule engine gives owlrl's inferences (the reference), on the real graph, on generated
graphs and on random graphs over every OWL 2 RL construct the engine implements. A construct the
ontology starts to use and the engine gets wrong makes the first test fail."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings

from kgapp.generate import generate
from kgapp.loader import load_project
from kgapp.namespaces import Namespaces
from kgapp.reasoning import Inference, infer
from tests.conftest import PROJECT_ROOT
from tests.pipeline.owl2rl_graphs import datasets, ontologies

pytestmark = [pytest.mark.slow]


def both(ontology: list[ox.Triple], data: list[ox.Triple]) -> tuple[Inference, Inference]:
    return infer(ontology, data, reasoner="rules"), infer(ontology, data, reasoner="owlrl")


def assert_same(ours: Inference, reference: Inference) -> None:
    missing = sorted(map(str, reference.inferred - ours.inferred))
    extra = sorted(map(str, ours.inferred - reference.inferred))
    assert (missing, extra) == ([], []), f"missing {missing[:10]}, extra {extra[:10]}"
    assert bool(ours.clashes) == bool(reference.clashes), (ours.clashes, reference.clashes)


def project_triples(root: Path) -> tuple[list[ox.Triple], list[ox.Triple]]:
    project = load_project(root, Namespaces())
    return list(project.graph_triples(project.namespaces.ontology_graph)), list(project.data_triples())


def test_same_inferences_as_owlrl_on_the_real_graph() -> None:
    ours, reference = both(*project_triples(PROJECT_ROOT))
    assert len(ours.inferred) > 1000
    assert_same(ours, reference)


@pytest.mark.parametrize("seed", [1, 2])
def test_same_inferences_as_owlrl_on_a_generated_graph(tmp_path: Path, seed: int) -> None:
    generate(600, tmp_path, seed=seed)
    assert_same(*both(*project_triples(tmp_path)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ontology=ontologies, data=datasets)
def test_same_inferences_as_owlrl_on_random_owl2rl_graphs(
    ontology: list[ox.Triple], data: list[ox.Triple]
) -> None:
    assert_same(*both(ontology, data))
