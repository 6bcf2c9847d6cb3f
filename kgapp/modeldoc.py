"""The generated parts of docs/model.md: a class diagram drawn from the ontology, and the analyst
questions (kgapp/queries/examples/*.rq) with their SPARQL and the answers a build gives.

The document's prose is written by hand; each generated part sits between
``<!-- BEGIN GENERATED: name -->`` and ``<!-- END GENERATED: name -->`` and is replaced on
regeneration. ``python -m kgapp.modeldoc`` rewrites the document from a fresh build;
``--check`` only reports whether it has drifted.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kgapp.errors import InputError
from kgapp.namespaces import Namespaces
from kgapp.queries import Example as Question
from kgapp.queries import examples
from kgapp.store import EmbeddedStore, KnowledgeStore

DOC_PATH = Path("docs") / "model.md"


def load_questions() -> list[Question]:
    """Every analyst question, in file-name order."""
    return examples()


# Terms ---------------------------------------------------------------------------------------


def shorten(iri: str, prefixes: dict[str, str]) -> str:
    """``prefix:local`` for an IRI under a known namespace (the longest match), else ``<iri>``."""
    best = max((ns for ns in prefixes.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return f"<{iri}>"
    prefix = next(p for p, ns in prefixes.items() if ns == best)
    return f"{prefix}:{iri[len(best) :]}"


def show_term(term: object, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        text = shorten(term.value, prefixes)
    elif isinstance(term, ox.Literal):
        text = term.value
    else:
        text = str(term)
    return text.replace("|", "\\|").replace("\n", " ")


# Answers -------------------------------------------------------------------------------------


def answer_table(store: KnowledgeStore, question: Question) -> str:
    """The answer to a question as a Markdown table, in the order the query sorts it."""
    solutions = store.query(question.sparql)
    if not isinstance(solutions, ox.QuerySolutions):
        raise InputError("an analyst question must be a SELECT query", file=question.name)
    names = [v.value for v in solutions.variables]
    prefixes = store.namespaces.prefixes
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    count = 0
    for solution in solutions:
        cells = [show_term(solution[name], prefixes) for name in names]
        lines.append("| " + " | ".join(cells) + " |")
        count += 1
    lines.append("")
    lines.append(f"{count} row(s).")
    return "\n".join(lines)


def questions_section(store: KnowledgeStore, questions: list[Question]) -> str:
    parts = []
    for number, question in enumerate(questions, start=1):
        parts.append(f"### Q{number}. {question.title}")
        parts.append("")
        parts.append(f"File: `kgapp/queries/examples/{question.name}`")
        parts.append("")
        parts.append("```sparql")
        parts.append(question.sparql.rstrip())
        parts.append("```")
        parts.append("")
        parts.append(answer_table(store, question))
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


# Diagram -------------------------------------------------------------------------------------


def _local(iri: object, namespace: str) -> str:
    return str(iri)[len(namespace) :]


def _is_ours(node: object, namespace: str) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(namespace)


def class_diagram(ontology: Graph, namespaces: Namespaces) -> str:
    """A Mermaid class diagram: our classes, their subclass links and the object properties
    whose domain and range are both our classes."""
    ns = str(namespaces.hkus)
    ours = sorted((c for c in ontology.subjects(RDF.type, OWL.Class) if _is_ours(c, ns)), key=str)
    lines = ["```mermaid", "classDiagram"]
    for cls in ours:
        for parent in sorted(ontology.objects(cls, RDFS.subClassOf), key=str):
            if _is_ours(parent, ns):
                lines.append(f"    {_local(parent, ns)} <|-- {_local(cls, ns)}")
    properties = sorted(
        (p for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if _is_ours(p, ns)), key=str
    )
    for prop in properties:
        domain, range_ = ontology.value(prop, RDFS.domain), ontology.value(prop, RDFS.range)
        if _is_ours(domain, ns) and _is_ours(range_, ns):
            lines.append(f"    {_local(domain, ns)} --> {_local(range_, ns)} : {_local(prop, ns)}")
    lines.append("```")
    return "\n".join(lines) + "\n"


def single_valued_properties(ontology: Graph, namespaces: Namespaces) -> str:
    """The properties the ontology annotates ``hkus:singleValued true``, as a sorted list."""
    ns = str(namespaces.hkus)
    marked = sorted(
        _local(p, ns)
        for p, value in ontology.subject_objects(URIRef(namespaces.hkus.singleValued))
        if _is_ours(p, ns) and value == Literal(True)
    )
    return ", ".join(f"`hkus:{name}`" for name in marked) + ".\n"


# Regions -------------------------------------------------------------------------------------


def replace_region(text: str, name: str, body: str) -> str:
    """Replace the generated region ``name`` of a document with ``body``."""
    begin, end = f"<!-- BEGIN GENERATED: {name} -->", f"<!-- END GENERATED: {name} -->"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise InputError(f"generated region {name!r} not found (need {begin} … {end})", file=str(DOC_PATH))
    return pattern.sub(lambda _m: f"{begin}\n{body}{end}", text, count=1)


def render(text: str, ontology: Graph, store: KnowledgeStore) -> str:
    """The document with every generated region regenerated."""
    text = replace_region(text, "class-diagram", class_diagram(ontology, store.namespaces))
    text = replace_region(text, "single-valued", single_valued_properties(ontology, store.namespaces))
    return replace_region(text, "questions", questions_section(store, load_questions()))


# Command line --------------------------------------------------------------------------------


def _regenerate(project_root: Path) -> tuple[str, str]:
    from kgapp.build import build
    from kgapp.config import load_settings
    from kgapp.loader import load_project

    doc = project_root / DOC_PATH
    current = doc.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(overrides={"project_root": project_root, "data_dir": data_dir}, environ={})
        build(settings)
        store = EmbeddedStore.open_current(settings.data_path, settings.namespaces)
        ontology = load_project(project_root, settings.namespaces).ontology
        return current, render(current, ontology, store)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the generated parts of docs/model.md.")
    parser.add_argument("--project-root", type=Path, default=Path.cwd())
    parser.add_argument("--check", action="store_true", help="only report whether the document drifted")
    args = parser.parse_args(argv)
    current, fresh = _regenerate(args.project_root)
    if args.check:
        if current != fresh:
            print(f"{DOC_PATH} is out of date: run python -m kgapp.modeldoc", file=sys.stderr)
            return 1
        return 0
    (args.project_root / DOC_PATH).write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
