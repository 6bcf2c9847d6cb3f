"""The parsed query forms other than SELECT (which a subquery is, so it lives with the patterns
in :mod:`kgapp.sparqlsyntax.tree`), and SPARQL 1.1 Update operations."""

from __future__ import annotations

from dataclasses import dataclass, field

from kgapp.sparqlsyntax.tree import DatasetClause, Group, Iri, Modifiers, Select, Triples, Values, Var


@dataclass(slots=True)
class Construct:
    template: list[Triples] | None  # None: CONSTRUCT WHERE, whose pattern is the template
    where: Group
    dataset: list[DatasetClause] = field(default_factory=list)
    modifiers: Modifiers = field(default_factory=Modifiers)
    values: Values | None = None
    base: str | None = None  # for IRI(), which resolves against it


@dataclass(slots=True)
class Describe:
    targets: list[Iri | Var] | None  # None: DESCRIBE *
    where: Group | None
    dataset: list[DatasetClause] = field(default_factory=list)
    modifiers: Modifiers = field(default_factory=Modifiers)
    values: Values | None = None
    base: str | None = None  # for IRI(), which resolves against it


@dataclass(slots=True)
class Ask:
    where: Group
    dataset: list[DatasetClause] = field(default_factory=list)
    modifiers: Modifiers = field(default_factory=Modifiers)
    values: Values | None = None
    base: str | None = None  # for IRI(), which resolves against it


Query = Select | Construct | Describe | Ask


# Updates -----------------------------------------------------------------------------------------
@dataclass(slots=True)
class QuadsBlock:
    """Triples in one graph of a quad pattern or quad data; ``graph`` None is the default graph."""

    graph: Iri | Var | None
    triples: list[Triples]


@dataclass(slots=True)
class Load:
    silent: bool
    source: Iri
    into: Iri | None


@dataclass(slots=True)
class GraphManagement:
    """CLEAR, DROP and CREATE; ``target`` is an IRI, or DEFAULT, NAMED or ALL."""

    operation: str
    silent: bool
    target: Iri | str


@dataclass(slots=True)
class Transfer:
    """ADD, MOVE and COPY; a graph is an IRI or DEFAULT."""

    operation: str
    silent: bool
    source: Iri | str
    destination: Iri | str


@dataclass(slots=True)
class DataUpdate:
    """INSERT DATA and DELETE DATA."""

    operation: str
    quads: list[QuadsBlock]


@dataclass(slots=True)
class DeleteWhere:
    quads: list[QuadsBlock]


@dataclass(slots=True)
class Modify:
    where: Group
    delete: list[QuadsBlock] | None = None
    insert: list[QuadsBlock] | None = None
    with_graph: Iri | None = None
    using: list[DatasetClause] = field(default_factory=list)


Operation = Load | GraphManagement | Transfer | DataUpdate | DeleteWhere | Modify


@dataclass(slots=True)
class Update:
    operations: list[Operation]
    bases: list[str | None] = field(default_factory=list)  # each operation's base, for IRI()
