"""A commit equals a whole build: after each of a random sequence of edits of data files (triples
added, copied between sources, removed; files removed), each committed as a delta, on the real
graph and on a generated one, the commit and a whole build of the same files give the same
validation report (or the same refusal), the same disagreements, and stores whose every graph is
isomorphic — the inferred graph, the default graph and the hidden graphs included."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgapp.build import build
from kgapp.commits.versionfiles import read_report
from kgapp.errors import KGError
from kgapp.generate import generate
from kgapp.inputfiles import discover
from kgapp.store import EmbeddedStore
from tests.conftest import PROJECT_ROOT, settings_for

HKUS = "https://w3id.org/hkus/ontology/"
LINKS = [
    "partOf",
    "memberOf",
    "subOrganizationOf",
    "respondsTo",
    "speaker",
    "affects",
    "tradingPartnerOf",
    "hasPart",
    "reportsTo",
    "governedBy",
]
KINDS = ["Person", "City", "Department", "Statute", "Event", "Measure"]


def data_files(project: Path) -> list[Path]:
    return [f.path for f in discover(project) if f.kind in ("entities", "source")]


def read(path: Path) -> list[ox.Triple]:
    return [
        ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)
    ]


def write(path: Path, triples: list[ox.Triple]) -> None:
    path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")


def edit(project: Path, data: st.DataObject, number: int) -> None:
    """One random edit of the kind a curator makes (some of them break the shapes)."""
    files = data_files(project)
    target = data.draw(st.sampled_from(files), label="file")
    triples = read(target)
    subjects = sorted(
        {t.subject.value for f in files for t in read(f) if isinstance(t.subject, ox.NamedNode)}
    )
    kind = data.draw(st.sampled_from(["copy", "link", "new", "remove", "remove file"]), label="edit")
    if kind == "copy":  # corroborate, or disagree with, another source
        source = data.draw(st.sampled_from(files), label="from")
        triples.append(data.draw(st.sampled_from(read(source)), label="triple"))
    elif kind == "link":
        s, o = (ox.NamedNode(data.draw(st.sampled_from(subjects))) for _ in range(2))
        triples.append(ox.Triple(s, ox.NamedNode(HKUS + data.draw(st.sampled_from(LINKS))), o))
    elif kind == "new":
        node = ox.NamedNode(f"https://w3id.org/hkus/id/added-{number}")
        triples.append(
            ox.Triple(
                node,
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(HKUS + data.draw(st.sampled_from(KINDS))),
            )
        )
        triples.append(
            ox.Triple(
                node,
                ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                ox.Literal(f"Added {number}", language="en"),
            )
        )
    elif kind == "remove" and triples:
        triples.pop(data.draw(st.integers(0, len(triples) - 1), label="index"))
    elif kind == "remove file" and "sources" in target.parts and len(files) > 2:
        target.unlink()
        return
    write(target, triples)


def canonical(triples: Iterable[ox.Triple]) -> set[ox.Quad]:
    """The triples with their blank nodes relabelled canonically (RDFC-1.0): two graphs are
    isomorphic when their canonical forms are equal."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def store_graphs(data_dir: Path, project: Path) -> dict[str, set[ox.Quad]]:
    settings = settings_for(project, data_dir)
    store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
    graphs = {
        name: canonical(ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(name))
        for name in store.graph_names()
    }
    graphs[""] = canonical(store.union_triples(inferences=False))
    graphs["default"] = canonical(store.union_triples(inferences=True))
    ns = settings.namespaces
    for hidden in sorted(ns.hidden_graphs):
        quads = store.store.quads_for_pattern(None, None, None, ox.NamedNode(hidden))
        graphs[hidden] = canonical(ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    return graphs


def outcome(project: Path, data_dir: Path, *, force: bool) -> tuple[str, object]:
    try:
        result = build(settings_for(project, data_dir), force=force)
    except KGError as exc:
        return "refused", exc.message
    results = read_report(result.build_dir)
    if result.report is not None:
        assert result.report.results == results
    return "built", (results, result.info.disagreements)


def check_same_as_from_scratch(project: Path, scratch: Path) -> None:
    incremental = outcome(project, project / "var", force=False)
    shutil.rmtree(scratch, ignore_errors=True)
    full = outcome(project, scratch, force=True)
    assert incremental == full
    if incremental[0] == "built":
        ours, theirs = store_graphs(project / "var", project), store_graphs(scratch, project)
        assert ours.keys() == theirs.keys()
        for name in ours:
            assert ours[name] == theirs[name], f"graph {name or 'default'} differs"


@pytest.fixture(scope="module")
def built_projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real project and a generated one, each built once, to copy for each example."""
    root = tmp_path_factory.mktemp("incremental")
    real = root / "real"
    for folder in ("ontology", "shapes", "graph"):
        shutil.copytree(PROJECT_ROOT / folder, real / folder)
    generated = generate(300, root / "generated", seed=5).directory
    for project in (real, generated):
        build(settings_for(project, project / "var"))
    return {"real": real, "generated": generated}


def example_copy(built: Path, tmp: Path) -> Path:
    copy = tmp / "project"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(built, copy, symlinks=True)
    return copy


@pytest.mark.slow
@pytest.mark.parametrize(("which", "examples"), [("generated", 12), ("real", 4)])
def test_a_sequence_of_commits_equals_a_whole_build(
    built_projects: dict[str, Path], tmp_path: Path, which: str, examples: int
) -> None:
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        project = example_copy(built_projects[which], tmp_path)
        for number in range(data.draw(st.integers(1, 4), label="edits")):
            edit(project, data, number)
            check_same_as_from_scratch(project, tmp_path / "scratch")

    run()


def test_an_edit_is_committed_as_a_delta(built_projects: dict[str, Path], tmp_path: Path) -> None:
    """The comparison above is between a commit and a whole build, not two whole builds."""
    project = example_copy(built_projects["generated"], tmp_path)
    entities = data_files(project)[0]
    note = ox.Triple(
        read(entities)[0].subject,
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"),
        ox.NamedNode("https://example.org/note"),
    )
    write(entities, [*read(entities), note])
    result = build(settings_for(project, project / "var"))
    assert result.info.kind == "commit"
    assert result.info.change == {"removed": 0, "added": 1}


def test_regression_a_removed_decimal_written_with_a_trailing_zero_leaves_the_store(
    built_projects: dict[str, Path], tmp_path: Path
) -> None:
    """The store keeps ``12800000000.0`` as ``12800000000``; a removal compared in the parsed form
    missed it, and a commit's report kept a disagreement the whole build no longer had."""
    project = example_copy(built_projects["real"], tmp_path)
    (project / "graph" / "sources" / "hong-kong-united-states-relations.ttl").unlink()
    check_same_as_from_scratch(project, tmp_path / "scratch")


def test_regression_an_empty_blank_node_is_reported_in_the_file_that_holds_it(
    built_projects: dict[str, Path], tmp_path: Path
) -> None:
    """A citation with nothing in it, added to one of the files that describe its event: the
    commit's report named the first file describing the event, the whole build the file that
    holds the citation (a blank node's label tells its file)."""
    project = example_copy(built_projects["real"], tmp_path)
    target = project / "graph" / "sources" / "us-ends-defense-exports-over-nsl.ttl"
    triples = read(target)
    empty = ox.Triple(
        ox.NamedNode("https://w3id.org/hkus/id/event-us-dual-use-restriction-announcement"),
        ox.NamedNode(HKUS + "citation"),
        ox.BlankNode("empty"),
    )
    write(target, [*triples, empty])
    check_same_as_from_scratch(project, tmp_path / "scratch")
