"""The kgapp command line on a small fixture mini_project: exit codes, outputs, error messages."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from rdflib import Dataset, Graph

BROKEN = Path(__file__).parent / "cases" / "broken"


def kgapp(mini_project: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"KGAPP_PROJECT_ROOT": str(mini_project), "KGAPP_DATA_DIR": str(mini_project / "var"), "PATH": ""}
    return subprocess.run(
        [sys.executable, "-m", "kgapp.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_build_reports_each_stage_with_timings(mini_project: Path) -> None:
    result = kgapp(mini_project, "build")
    assert result.returncode == 0, result.stderr
    for stage in ("parse", "validate", "reason", "store"):
        assert f"{stage}: done in" in result.stderr
    assert "dropped" in result.stderr


def test_second_build_is_skipped(mini_project: Path) -> None:
    kgapp(mini_project, "build")
    result = kgapp(mini_project, "build")
    assert result.returncode == 0 and "inputs unchanged" in result.stderr


def test_build_failure_exits_nonzero_with_the_report(mini_project: Path) -> None:
    kgapp(mini_project, "build")
    shutil.copy(BROKEN / "wrong-class" / "doc2.ttl", mini_project / "graph" / "sources" / "doc2.ttl")
    result = kgapp(mini_project, "build")
    assert result.returncode == 1
    assert "https://w3id.org/hkus/id/statement-3" in result.stderr
    assert "hkus:speaker" in result.stderr and "graph/sources/doc2.ttl" in result.stderr


def test_query_select_as_csv_and_json(mini_project: Path) -> None:
    kgapp(mini_project, "build")
    query = "SELECT ?label WHERE { id:pompeo rdfs:label ?label }"
    rows = list(csv.DictReader(io.StringIO(kgapp(mini_project, "query", query, "--format", "csv").stdout)))
    assert rows == [{"label": "Mike Pompeo"}]
    data = json.loads(kgapp(mini_project, "query", query, "--format", "json").stdout)
    assert data["results"]["bindings"][0]["label"]["value"] == "Mike Pompeo"


def test_query_construct_as_turtle_from_stdin(mini_project: Path) -> None:
    kgapp(mini_project, "build")
    result = kgapp(
        mini_project, "query", "-", stdin="CONSTRUCT { ?s a hkus:Person } WHERE { ?s a hkus:Person }"
    )
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) == 1


def test_query_without_inference_leaves_out_the_inferred_graph(mini_project: Path) -> None:
    kgapp(mini_project, "build")
    ask = "ASK { id:pompeo a hkus:Actor }"
    assert "true" in kgapp(mini_project, "query", ask, "--format", "json").stdout
    assert "false" in kgapp(mini_project, "query", ask, "--format", "json", "--no-inference").stdout


def test_malformed_query_names_the_position(mini_project: Path) -> None:
    kgapp(mini_project, "build")
    result = kgapp(mini_project, "query", "SELECT * WHERE { ?s ?p }")
    assert result.returncode == 1 and "malformed query" in result.stderr and "1:" in result.stderr


def test_query_before_any_build_says_to_build(mini_project: Path) -> None:
    result = kgapp(mini_project, "query", "ASK {}")
    assert result.returncode == 2 and "kgapp build" in result.stderr


def test_validate_reports_and_exits_by_conformance(mini_project: Path) -> None:
    good = kgapp(mini_project, "validate", str(mini_project / "graph" / "sources" / "doc1.ttl"))
    assert good.returncode == 0 and "Conforms" in good.stdout
    bad = kgapp(mini_project, "validate", str(BROKEN / "wrong-datatype" / "doc2.ttl"))
    assert bad.returncode == 1
    assert "hkus:date" in bad.stdout and '"29 June 2020"' in bad.stdout


def test_validate_names_file_and_line_of_a_syntax_error(mini_project: Path) -> None:
    broken = BROKEN / "unparseable-turtle" / "doc2.ttl"
    result = kgapp(mini_project, "validate", str(broken))
    assert result.returncode == 1 and f"{broken}:6" in result.stderr


def test_export_trig_and_nquads_hold_every_graph(mini_project: Path, tmp_path: Path) -> None:
    kgapp(mini_project, "build")
    for fmt, parser in (("trig", "trig"), ("nquads", "nquads")):
        output = tmp_path / f"dump.{fmt}"
        assert kgapp(mini_project, "export", "--format", fmt, "-o", str(output)).returncode == 0
        dataset = Dataset()
        dataset.parse(output, format=parser)
        names = {str(g.identifier) for g in dataset.graphs()}
        assert "https://w3id.org/hkus/graph/inferred" in names
        assert "https://w3id.org/hkus/graph/source/doc1" in names


def test_bad_configuration_is_named(mini_project: Path, tmp_path: Path) -> None:
    config = tmp_path / "kgapp.toml"
    config.write_text("[kgapp]\nport = 'eighty'\n")
    result = kgapp(mini_project, "--config", str(config), "build")
    assert result.returncode == 1 and "'port'" in result.stderr


def test_a_remote_build_without_an_update_url_is_refused_before_any_work(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KGAPP_")}
    env |= {
        "KGAPP_DATA_DIR": str(tmp_path / "var"),
        "KGAPP_STORE_BACKEND": "remote",
        "KGAPP_REMOTE_QUERY_URL": "http://127.0.0.1:9/sparql",
    }
    done = subprocess.run(
        [sys.executable, "-m", "kgapp.cli", "build"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "remote_update_url" in done.stderr
    assert not (tmp_path / "var").exists()
