"""The documentation says what the code does: every setting, route and path the docs name exists,
and every setting and route the code has is documented."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from flask import Flask

from kgapp.config import ENV_PREFIX, Settings

ROOT = Path(__file__).resolve().parent.parent
DOCS = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
CONFIGURATION = ROOT / "docs" / "configuration.md"
ROUTES_DOC = ROOT / "docs" / "design.md"
CONVERTER = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>")


def table_first_cells(text: str) -> list[str]:
    """The backticked first cell of every Markdown table row."""
    return re.findall(r"^\| `([^`]+)` \|", text, re.MULTILINE)


def section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def documented_settings() -> set[str]:
    return set(table_first_cells(section(CONFIGURATION.read_text(encoding="utf-8"), "Settings")))


def test_every_setting_is_documented_and_every_documented_setting_exists() -> None:
    in_code = {f.name for f in fields(Settings)}
    assert documented_settings() == in_code


def test_every_environment_variable_the_docs_name_is_a_setting() -> None:
    known = {ENV_PREFIX + f.name.upper() for f in fields(Settings)} | {ENV_PREFIX + "CONFIG"}
    named = {
        m for doc in DOCS for m in re.findall(r"\bKGAPP_[A-Z_]+[A-Z]\b", doc.read_text(encoding="utf-8"))
    }
    assert named, "the docs should show how settings come from the environment"
    assert named - known == set()


def normalized(rule: str) -> str:
    """``/<any(id, source):root>/<path:name>`` → ``/<root>/<name>``, as the docs write routes."""
    return CONVERTER.sub(r"<\1>", rule)


def test_every_route_is_documented_and_every_documented_route_exists(app: Flask) -> None:
    in_code = {normalized(r.rule) for r in app.url_map.iter_rules() if r.endpoint != "static"}
    documented = set(table_first_cells(section(ROUTES_DOC.read_text(encoding="utf-8"), "Routes")))
    assert documented == in_code


def test_every_path_the_docs_name_exists() -> None:
    missing = []
    for doc in DOCS:
        for path in re.findall(
            r"`((?:kgapp|tests|bench|docs|graph|ontology|shapes)/[^`\s*<…]+)`", doc.read_text()
        ):
            if not (ROOT / path.split("::")[0].rstrip("/")).exists():
                missing.append(f"{doc.name}: {path}")
    assert missing == []


def test_every_test_the_docs_name_exists() -> None:
    """docs/security.md maps each protection to its test: each named test is there."""
    missing = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for path, name in re.findall(r"`(tests/[^`:\s]+\.py)::(test_\w+)`", text):
            file = ROOT / path
            if not file.exists() or f"def {name}(" not in file.read_text(encoding="utf-8"):
                missing.append(f"{doc.name}: {path}::{name}")
        for name in re.findall(r"`::(test_\w+)`", text):
            if not any(
                f"def {name}(" in t.read_text(encoding="utf-8") for t in (ROOT / "tests").rglob("test_*.py")
            ):
                missing.append(f"{doc.name}: ::{name}")
    assert missing == []
