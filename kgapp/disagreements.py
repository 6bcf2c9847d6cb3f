"""Where sources disagree, computed once per build from the rule in ``queries/disagreements.rq``.

The build stores the result with the build information; the entity pages, the conflicts list and
the timeline read it from there, so "disputed" means one thing everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kgapp import queries
from kgapp.rdfterms import term_json


@dataclass(frozen=True)
class Claim:
    """One value of a disputed property, with the source documents that state it."""

    value: dict[str, Any]  # the term, as in SPARQL 1.1 Query Results JSON
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Disagreement:
    subject: str
    property: str
    claims: tuple[Claim, ...]

    def to_record(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "property": self.property,
            "claims": [{"value": c.value, "sources": list(c.sources)} for c in self.claims],
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Disagreement:
        claims = tuple(Claim(c["value"], tuple(c["sources"])) for c in record["claims"])
        return cls(record["subject"], record["property"], claims)


Select = Callable[[str], Iterable[dict[str, Any]]]


def find(select: Select) -> list[Disagreement]:
    """Run the rule with ``select`` (a store's SELECT as rows of terms) and group its rows."""
    grouped: dict[tuple[str, str], dict[str, tuple[dict[str, Any], list[str]]]] = {}
    for row in select(queries.load("disagreements")):
        key = (row["subject"].value, row["property"].value)
        value = term_json(row["value"])
        claims = grouped.setdefault(key, {})
        claims.setdefault(str(sorted(value.items())), (value, []))[1].append(row["source"].value)
    return [
        Disagreement(subject, prop, tuple(Claim(value, tuple(sources)) for value, sources in claims.values()))
        for (subject, prop), claims in grouped.items()
    ]
