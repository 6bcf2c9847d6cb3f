"""The build pipeline on a small fixture project: what it writes, what it refuses, what it keeps."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgapp.build import build
from kgapp.errors import InputError, ValidationFailed
from kgapp.layout import current_build_dir
from kgapp.store import EmbeddedStore, KnowledgeStore
from kgapp.validation import ShapesError
from tests.conftest import settings_for

BROKEN_CASES = sorted((Path(__file__).parent / "cases" / "broken").iterdir())
PERSON_TYPE_QUERY = "SELECT ?g WHERE { GRAPH ?g { id:pompeo a hkus:Actor } }"


def open_store(project: Path) -> KnowledgeStore:
    settings = settings_for(project, project / "var")
    return EmbeddedStore.open_current(settings.data_path, settings.namespaces)


def test_build_writes_one_graph_per_input_kind(mini_project: Path) -> None:
    outcome = build(settings_for(mini_project, mini_project / "var"))
    graphs = set(outcome.info.graphs)
    base = "https://w3id.org/hkus/graph/"
    assert graphs == {base + g for g in ("ontology", "shapes", "entities", "inferred", "meta", "source/doc1")}
    assert outcome.info.conforms
    assert outcome.info.inferred_triples > 0


def test_unchanged_inputs_skip_the_build(mini_project: Path) -> None:
    settings = settings_for(mini_project, mini_project / "var")
    first = build(settings)
    second = build(settings)
    assert second.skipped and second.build_dir == first.build_dir


def test_an_unchanged_build_writes_nothing_into_the_data_directory(mini_project: Path) -> None:
    settings = settings_for(mini_project, mini_project / "var")
    build(settings)

    def files() -> dict[str, tuple[int, int]]:
        found = {}
        for path in sorted((mini_project / "var").rglob("*")):
            status = path.lstat()
            found[str(path.relative_to(mini_project))] = (status.st_mtime_ns, status.st_size)
        return found

    before = files()
    assert build(settings).skipped
    assert files() == before


def test_changed_input_makes_a_new_build(mini_project: Path) -> None:
    settings = settings_for(mini_project, mini_project / "var")
    first = build(settings)
    entities = mini_project / "graph" / "entities.ttl"
    entities.write_text(entities.read_text() + '\nid:raab a hkus:Person ; rdfs:label "Dominic Raab"@en .\n')
    second = build(settings)
    assert not second.skipped and second.build_dir != first.build_dir
    assert current_build_dir(mini_project / "var") == second.build_dir


def test_superclass_type_is_only_in_the_inferred_graph(mini_project: Path) -> None:
    build(settings_for(mini_project, mini_project / "var"))
    store = open_store(mini_project)
    graphs = [row["g"].value for row in store.select(PERSON_TYPE_QUERY)]
    assert graphs == ["https://w3id.org/hkus/graph/inferred"]


def test_asserted_graphs_hold_no_inferred_triple(mini_project: Path) -> None:
    build(settings_for(mini_project, mini_project / "var"))
    store = open_store(mini_project)
    overlap = store.select(
        "SELECT * WHERE { GRAPH kgg:inferred { ?s ?p ?o } GRAPH ?g { ?s ?p ?o } FILTER(?g != kgg:inferred) }"
    )
    assert overlap == []


def test_reasoning_noise_is_dropped_and_counted(mini_project: Path) -> None:
    outcome = build(settings_for(mini_project, mini_project / "var"))
    # The rule engine does not type literals at all (owlrl does, and drops them here as noise).
    assert sum(outcome.info.dropped_inferences.values()) > 0
    store = open_store(mini_project)
    noise = store.select(
        "SELECT * WHERE { GRAPH kgg:inferred { ?s ?p ?o } "
        "FILTER(isLiteral(?s) || STRSTARTS(STR(?s), STR(owl:)) || STRSTARTS(STR(?s), STR(rdf:))"
        " || (?p = owl:sameAs && ?s = ?o)) }"
    )
    assert noise == []


def test_each_source_graph_is_linked_to_its_document(mini_project: Path) -> None:
    build(settings_for(mini_project, mini_project / "var"))
    rows = open_store(mini_project).select(
        "SELECT ?g ?doc WHERE { GRAPH kgg:meta { ?g dcterms:source ?doc } }"
    )
    assert [(r["g"].value, r["doc"].value) for r in rows] == [
        ("https://w3id.org/hkus/graph/source/doc1", "https://w3id.org/hkus/source/doc1")
    ]


@pytest.mark.parametrize("case", BROKEN_CASES, ids=[c.name for c in BROKEN_CASES])
def test_broken_input_fails_the_build_and_the_previous_build_keeps_answering(
    mini_project: Path, case: Path
) -> None:
    settings = settings_for(mini_project, mini_project / "var")
    good = build(settings)
    shutil.copy(case / "doc2.ttl", mini_project / "graph" / "sources" / "doc2.ttl")

    with pytest.raises((ValidationFailed, InputError)) as failure:
        build(settings)

    message = failure.value.message
    for expected in (case / "expected.txt").read_text().splitlines():
        assert expected in message
    assert current_build_dir(mini_project / "var") == good.build_dir
    assert len(open_store(mini_project).select("SELECT * WHERE { ?s a hkus:Statement }")) == 1


def test_a_configured_base_moves_every_iri(mini_project: Path) -> None:
    settings = settings_for(mini_project, mini_project / "var", base_iri="http://example.org/kg/")
    build(settings)
    store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
    subjects = {row["s"].value for row in store.select("SELECT DISTINCT ?s WHERE { ?s ?p ?o }")}
    assert "http://example.org/kg/id/pompeo" in subjects
    assert not [s for s in subjects if s.startswith("https://w3id.org/hkus/")]


def test_store_answers_with_project_prefixes(mini_project: Path) -> None:
    build(settings_for(mini_project, mini_project / "var"))
    result = open_store(mini_project).query("ASK { id:pompeo a hkus:Person }")
    assert isinstance(result, ox.QueryBoolean) and bool(result)


def test_a_broken_shape_is_reported_as_a_shapes_error_not_a_crash(mini_project: Path) -> None:
    """pySHACL hands back a ValidationFailure object instead of a report graph when a
    SHACL-SPARQL constraint does not parse; the build used to crash on it with AttributeError."""
    (mini_project / "shapes" / "broken.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix hkus: <https://w3id.org/hkus/ontology/> .\n"
        "<https://w3id.org/hkus/shapes/Broken> a sh:NodeShape ; sh:targetClass hkus:Person ;\n"
        '  sh:sparql [ sh:message "never" ; sh:select "SELECT $this WHERE { $this ?p " ] .\n'
    )
    with pytest.raises(ShapesError, match="the shapes cannot be applied"):
        build(settings_for(mini_project, mini_project / "var"))
    assert current_build_dir(mini_project / "var") is None
