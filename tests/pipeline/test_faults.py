"""Faults: a whole build or a commit killed in any stage, a full disk, a read-only data directory,
a missing or broken current version. The last good version keeps serving, nothing half-written is
ever served, and the next build or commit completes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgapp.build import DataDirError, build
from kgapp.commits.directories import TEMPORARY_PREFIX, writer_lock
from kgapp.generate import generate
from kgapp.layout import current_build_dir, current_link, versions_root
from kgapp.store import EmbeddedStore
from tests.conftest import settings_for

WHOLE_BUILD_STAGES = ["parse", "validate", "reason", "inputs", "store", "record", "publish"]
COMMIT_STAGES = ["diff", "check", "reason", "store", "record", "publish"]
STATEMENT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s a hkus:Statement }"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(8000, tmp_path_factory.mktemp("faults") / "project", seed=11).directory


def fresh_copy(project: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("var"))
    return copy


def statements(project: Path) -> int:
    settings = settings_for(project, project / "var")
    store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
    return int(store.select(STATEMENT_QUERY)[0]["n"].value)


def add_statement(project: Path, name: str = "added-statement") -> None:
    source = sorted((project / "graph" / "sources").glob("*.ttl"))[0]
    source.write_text(
        source.read_text()
        + f"\n<https://w3id.org/hkus/id/{name}> a <https://w3id.org/hkus/ontology/Statement> ;\n"
        '  <http://www.w3.org/2000/01/rdf-schema#label> "Added"@en ;\n'
        "  <https://w3id.org/hkus/ontology/speaker> <https://w3id.org/hkus/id/gen-person-0-1> ;\n"
        '  <https://w3id.org/hkus/ontology/quote> "Words."@en ;\n'
        "  <https://w3id.org/hkus/ontology/about> <https://w3id.org/hkus/id/gen-statute-0> ;\n"
        f"  <https://w3id.org/hkus/ontology/statedIn> <https://w3id.org/hkus/source/{source.stem}> ;\n"
        "  <https://w3id.org/hkus/ontology/citation> [\n"
        f"    <https://w3id.org/hkus/ontology/inDocument> <https://w3id.org/hkus/source/{source.stem}> ;\n"
        "    <https://w3id.org/hkus/ontology/paragraph> 1 ] .\n"
    )


def kill_during(project: Path, stage: str, *extra: str) -> None:
    """Run ``kgapp build`` and SIGKILL it as soon as it says it entered ``stage``."""
    env = {
        "KGAPP_PROJECT_ROOT": str(project),
        "KGAPP_DATA_DIR": str(project / "var"),
        "PATH": os.environ["PATH"],
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "kgapp.cli", "build", *extra], env=env, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    for line in process.stderr:
        if line.rstrip().endswith(f"] {stage}…"):
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=120)
    assert process.returncode == -signal.SIGKILL, f"the build ended before {stage}"


@pytest.mark.parametrize(
    ("stage", "whole"),
    [(stage, True) for stage in WHOLE_BUILD_STAGES] + [(stage, False) for stage in COMMIT_STAGES],
    ids=[f"{stage}-whole build" for stage in WHOLE_BUILD_STAGES]
    + [f"{stage}-commit" for stage in COMMIT_STAGES],
)
@pytest.mark.slow
def test_a_writer_killed_in_any_stage_leaves_one_whole_version_serving(
    generated: Path, tmp_path: Path, stage: str, whole: bool
) -> None:
    project = fresh_copy(generated, tmp_path)
    data_dir = project / "var"
    good = build(settings_for(project, data_dir)).build_dir
    before = statements(project)
    add_statement(project)

    kill_during(project, stage, *(["--force"] if whole else []))

    served = current_build_dir(data_dir)
    if served != good:  # the kill landed after the switch: the new version is whole and served
        # (the record stage ends with the switch, and may finish before the signal lands)
        assert stage in ("record", "publish") and statements(project) == before + 1
    else:
        assert stage != "publish" and statements(project) == before
    build(settings_for(project, data_dir), force=whole)
    assert statements(project) == before + 1
    add_statement(project, "added-after-the-kill")
    after = build(settings_for(project, data_dir))
    assert after.info.kind == "commit" and statements(project) == before + 2
    assert not [p for p in versions_root(data_dir).iterdir() if p.name.startswith(TEMPORARY_PREFIX)]


@pytest.fixture()
def small_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of its own (needs root and mount; skipped elsewhere)."""
    mount_point = tmp_path / "fs"
    mount_point.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount_point)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)])


def used_kib_of(mount_point: Path) -> int:
    return int(
        subprocess.run(["du", "-sk", str(mount_point)], capture_output=True, text=True).stdout.split()[0]
    )


def remount(mount_point: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(mount_point)], check=True)


def test_a_full_disk_is_named_and_the_previous_build_keeps_serving(
    mini_project: Path, small_filesystem: Path
) -> None:
    settings = settings_for(mini_project, small_filesystem / "var")
    good = build(settings).build_dir
    used_kib = used_kib_of(small_filesystem)
    remount(small_filesystem, f"size={used_kib + 8}k")

    with pytest.raises(DataDirError, match="the disk is full") as failure:
        build(settings, force=True)

    assert "previous version keeps serving" in failure.value.message
    assert current_build_dir(small_filesystem / "var") == good
    store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
    assert len(store.select("SELECT * WHERE { ?s a hkus:Statement }")) == 1


def test_a_read_only_data_directory_is_named_and_the_previous_build_keeps_serving(
    mini_project: Path, small_filesystem: Path
) -> None:
    settings = settings_for(mini_project, small_filesystem / "var")
    good = build(settings).build_dir
    remount(small_filesystem, "ro")

    with pytest.raises(DataDirError, match="read-only"):
        build(settings, force=True)

    assert current_build_dir(small_filesystem / "var") == good
    store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
    assert len(store.select("SELECT * WHERE { ?s a hkus:Statement }")) == 1


def test_a_missing_current_build_is_said_and_the_next_build_starts_from_scratch(mini_project: Path) -> None:
    settings = settings_for(mini_project, mini_project / "var")
    shutil.rmtree(build(settings).build_dir)
    messages: list[str] = []

    outcome = build(settings, progress=messages.append)

    assert any("is missing" in m and "kgapp build --force" in m for m in messages)
    assert not outcome.skipped and current_build_dir(mini_project / "var") == outcome.build_dir


def test_an_incomplete_current_build_is_said_and_rebuilt(mini_project: Path) -> None:
    settings = settings_for(mini_project, mini_project / "var")
    broken = build(settings).build_dir
    shutil.rmtree(broken / "store")
    messages: list[str] = []

    outcome = build(settings, progress=messages.append)

    assert any("is incomplete (no store)" in m for m in messages)
    assert outcome.build_dir != broken and current_link(mini_project / "var").resolve() == outcome.build_dir


def test_a_commit_refused_by_a_full_disk_changes_nothing_and_the_next_one_lands(
    mini_project: Path, small_filesystem: Path
) -> None:
    settings = settings_for(mini_project, small_filesystem / "var")
    good = build(settings).build_dir
    used_kib = used_kib_of(small_filesystem)
    entities = mini_project / "graph" / "entities.ttl"
    entities.write_text(entities.read_text() + '\nid:raab a hkus:Person ; rdfs:label "Dominic Raab"@en .\n')
    remount(small_filesystem, f"size={used_kib + 8}k")

    with pytest.raises(DataDirError, match="the disk is full"):
        build(settings)

    assert current_build_dir(small_filesystem / "var") == good
    remount(small_filesystem, "size=64m")
    assert build(settings).info.kind == "commit"
    store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
    assert len(store.select("SELECT * WHERE { id:raab a hkus:Person }")) == 1


def test_old_versions_are_pruned_to_the_setting(mini_project: Path) -> None:
    settings = settings_for(mini_project, mini_project / "var", keep_versions=2)
    dirs = [build(settings, force=True).build_dir for _ in range(4)]
    assert sorted(p for p in versions_root(mini_project / "var").iterdir()) == sorted(dirs[-2:])


def test_a_second_writer_at_the_same_time_is_refused(mini_project: Path) -> None:
    """Two writers committing into one data directory would undo each other's changes."""
    settings = settings_for(mini_project, mini_project / "var")
    with writer_lock(mini_project / "var"), pytest.raises(DataDirError, match="another writer"):
        build(settings)
    assert not build(settings).skipped
