"""The ontology page's header listed every triple of the ontology graph (over a thousand rows
of flattened class and property axioms) because ?ontology was never bound: it is the ontology's
own description only."""

from __future__ import annotations

from kgapp.ld.ontology_doc import header
from kgapp.store import KnowledgeStore


def test_the_header_is_the_ontologys_own_description(built_store: KnowledgeStore) -> None:
    entries = header(built_store)
    assert 3 <= len(entries) <= 20, len(entries)
    assert {"title", "license"} <= {entry.property for entry in entries}
    assert not {"first", "rest", "subClassOf", "domain"} & {entry.property for entry in entries}
