"""The layout tells the architecture: the import graph of kgapp/ has no cycles, each layer
imports only the layers below it, and no module grows past what one can hold in one's head."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kgapp"
MAX_LINES = 300
# Lowest first. A module may import its own layer and the layers below, never one above.
LAYERS: list[tuple[str, set[str]]] = [
    (
        "core",
        {
            "namespaces",
            "errors",
            "config",
            "formats",
            "conneg",
            "querytext",
            "queries",
            "rdfterms",
            "dataset",
            "processes",
            "capacity",
            "sparqlsyntax",
            "progress",
            "layout",
            "inputfiles",
            "engines",
            "tokens",
            "patchfiles",
            "deadline",
        },
    ),
    (
        "pipeline",
        {
            "disagreements",
            "dumps",
            "rdflibterms",
            "store",
            "current",
            "loader",
            "validation",
            "reasoning",
            "build",
            "commits",
            "engine",
            "modeldoc",
            "generate",
            "remote",
            "backend",
            "versions",
            "writes",
            "fold",
        },
    ),
    ("read models", {"readmodel"}),
    ("web", {"web"}),
    ("surfaces", {"search", "site", "sparql", "ld", "history", "curate"}),
    ("app", {"app", "server", "writerservice"}),
    ("command line", {"cli"}),
]
FLASK_FREE = {"core", "pipeline", "read models"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The kgapp modules ``name`` imports, anywhere in its body (deferred imports count)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {m for m in found if m in MODULES and m not in {name, "kgapp"}}


def third_party_imports_of(name: str) -> set[str]:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def layer_of(name: str) -> int:
    top = name.split(".")[1] if "." in name else ""
    for index, (_label, members) in enumerate(LAYERS):
        if top in members:
            return index
    raise AssertionError(f"{name} belongs to no layer: add it to LAYERS in {__file__}")


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_there_are_modules_to_check() -> None:
    assert len(MODULES) > 40


def test_the_import_graph_has_no_cycle() -> None:
    graph = {name: imports_of(name) for name in MODULES if name != "kgapp"}
    cycle = find_cycle(graph)
    assert cycle is None, " → ".join(cycle or [])


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n != "kgapp"))
def test_a_module_imports_only_its_own_layer_and_those_below(name: str) -> None:
    above = {m for m in imports_of(name) if m != "kgapp" and layer_of(m) > layer_of(name)}
    assert above == set(), f"{name} ({LAYERS[layer_of(name)][0]}) imports {sorted(above)}"
    if LAYERS[layer_of(name)][0] in FLASK_FREE:
        assert not {"flask", "werkzeug"} & third_party_imports_of(name), f"{name} must not need Flask"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_module_stays_small(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines"
