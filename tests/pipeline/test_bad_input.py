"""Bad input stops the build with a message that says what and where, and changes nothing:
malformed RDF in every syntax the build reads, a dataset file naming a graph it does not feed,
shapes that cannot be applied, and an ontology change that makes the data inconsistent."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgapp.build import build
from kgapp.errors import InputError, KGError
from kgapp.layout import current_build_dir
from kgapp.reasoning import Inconsistent
from kgapp.store import EmbeddedStore
from kgapp.validation import ShapesError
from tests.conftest import settings_for

# file name → (content, the line the error is on)
MALFORMED = {
    "broken.ttl": ("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n", 3),
    "broken.trig": ("@prefix ex: <http://example.org/> .\n{\n ex:a ex:b ex:c .\n ex:a ex:b\n}\n", 5),
    "broken.nt": (
        "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n<http://example.org/a> .\n",
        2,
    ),
    "broken.nq": (
        "<http://example.org/a> <http://example.org/b> <http://example.org/c> <http://example.org/g>\n",
        2,
    ),
    "broken.rdf": (
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about="http://example.org/a">\n</rdf:RDF>\n',
        4,
    ),
    "broken.jsonld": ('{\n  "@id": "http://example.org/a",\n  "http://example.org/b": [\n}\n', 4),
}


def statements(project: Path) -> int:
    settings = settings_for(project, project / "var")
    return len(
        EmbeddedStore.open_current(settings.data_path, settings.namespaces).select(
            "SELECT * WHERE { ?s a hkus:Statement }"
        )
    )


def assert_refused_and_unchanged(project: Path, error: type[KGError], *expected: str) -> str:
    settings = settings_for(project, project / "var")
    good = current_build_dir(project / "var")
    with pytest.raises(error) as failure:
        build(settings)
    for text in expected:
        assert text in failure.value.message
    assert current_build_dir(project / "var") == good
    assert statements(project) == 1
    return failure.value.message


@pytest.mark.parametrize("name", sorted(MALFORMED), ids=lambda n: n.split(".")[1])
def test_malformed_rdf_names_the_file_and_the_line(mini_project: Path, name: str) -> None:
    build(settings_for(mini_project, mini_project / "var"))
    content, line = MALFORMED[name]
    (mini_project / "graph" / name).write_text(content)
    assert_refused_and_unchanged(mini_project, InputError, f"graph/{name}:{line}:", "syntax error")


@pytest.mark.parametrize("name", ["added.trig", "added.nq", "added.jsonld"])
def test_dataset_files_are_read(mini_project: Path, name: str) -> None:
    """TriG, N-Quads and JSON-LD files feed the graph of their folder, like any other."""
    triple = '<https://w3id.org/hkus/id/pompeo> <http://www.w3.org/2000/01/rdf-schema#comment> "Read."@en'
    text = {
        "added.trig": f"{{ {triple} . }}\n",
        "added.nq": f"{triple} .\n",
        "added.jsonld": '{"@id": "https://w3id.org/hkus/id/pompeo", '
        '"http://www.w3.org/2000/01/rdf-schema#comment": {"@value": "Read.", "@language": "en"}}',
    }[name]
    (mini_project / "graph" / name).write_text(text)
    settings = settings_for(mini_project, mini_project / "var")
    build(settings)
    store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
    rows = store.select('SELECT ?g WHERE { GRAPH ?g { id:pompeo rdfs:comment "Read."@en } }')
    assert [r["g"].value for r in rows] == ["https://w3id.org/hkus/graph/entities"]


def test_a_dataset_file_naming_another_graph_is_refused(mini_project: Path) -> None:
    build(settings_for(mini_project, mini_project / "var"))
    (mini_project / "graph" / "elsewhere.trig").write_text(
        "<https://example.org/other> { <https://w3id.org/hkus/id/pompeo> "
        '<http://www.w3.org/2000/01/rdf-schema#comment> "x" . }\n'
    )
    assert_refused_and_unchanged(
        mini_project,
        InputError,
        "graph/elsewhere.trig",
        "<https://example.org/other>",
        "https://w3id.org/hkus/graph/entities",
    )


def test_a_property_shape_without_a_path_is_a_shapes_error(mini_project: Path) -> None:
    build(settings_for(mini_project, mini_project / "var"))
    (mini_project / "shapes" / "broken.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix hkus: <https://w3id.org/hkus/ontology/> .\n"
        "<https://w3id.org/hkus/shapes/NoPath> a sh:NodeShape ; sh:targetClass hkus:Person ;\n"
        "  sh:property [ sh:minCount 1 ] .\n"
    )
    assert_refused_and_unchanged(mini_project, ShapesError, "the shapes cannot be applied")


def test_an_ontology_change_that_makes_the_data_inconsistent_is_refused(mini_project: Path) -> None:
    build(settings_for(mini_project, mini_project / "var"))
    ontology = mini_project / "ontology" / "mini.ttl"
    ontology.write_text(ontology.read_text() + "\nhkus:Person owl:disjointWith hkus:Actor .\n")
    message = assert_refused_and_unchanged(
        mini_project, Inconsistent, "cax-dw", "<https://w3id.org/hkus/id/pompeo>", "graph/entities.ttl"
    )
    assert "<https://w3id.org/hkus/ontology/Actor>, <https://w3id.org/hkus/ontology/Person>" in message
