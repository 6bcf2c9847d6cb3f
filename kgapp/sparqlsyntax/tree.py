"""The parsed query or update: what the parser builds and the writer writes back.

Nodes keep the structure the text had (a collection stays a collection, a property list stays
one), so writing a tree back costs what reading it did. Every IRI is absolute: prefixed names
and relative IRIs are resolved while parsing, so the writer needs no prologue.
"""

from __future__ import annotations

from dataclasses import dataclass, field


# Terms -------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Iri:
    value: str


@dataclass(frozen=True, slots=True)
class Var:
    name: str


@dataclass(frozen=True, slots=True)
class BNode:
    label: str | None  # None: an anonymous ``[]``


@dataclass(frozen=True, slots=True)
class Literal:
    lexical: str
    language: str | None = None
    datatype: str | None = None


@dataclass(frozen=True, slots=True)
class Number:
    text: str  # as written, sign included: 1, -2.5, 1e3


@dataclass(frozen=True, slots=True)
class Boolean:
    value: bool


@dataclass(frozen=True, slots=True)
class Nil:
    """``()``, rdf:nil."""


@dataclass(frozen=True, slots=True)
class Undef:
    """``UNDEF`` in a VALUES block."""


Term = Iri | Var | BNode | Literal | Number | Boolean | Nil


# Triples and paths -------------------------------------------------------------------------------
@dataclass(slots=True)
class Collection:
    items: list[Node]


@dataclass(slots=True)
class BNodeList:
    """``[ p o ; … ]``"""

    properties: list[Property]


Node = Term | Collection | BNodeList


@dataclass(slots=True)
class PathAlt:
    options: list[Path]


@dataclass(slots=True)
class PathSeq:
    steps: list[Path]


@dataclass(slots=True)
class PathInv:
    path: Path


@dataclass(slots=True)
class PathMod:
    path: Path
    modifier: str  # ? * +


@dataclass(slots=True)
class PathNeg:
    members: list[tuple[bool, Iri]]  # (inverse, iri)


Path = Iri | PathAlt | PathSeq | PathInv | PathMod | PathNeg
Verb = Var | Path


@dataclass(slots=True)
class Property:
    verb: Verb
    objects: list[Node]


@dataclass(slots=True)
class Triples:
    """One subject with its property list (``TriplesSameSubject``)."""

    subject: Node
    properties: list[Property]


# Expressions -------------------------------------------------------------------------------------
@dataclass(slots=True)
class Chain:
    """Operands joined by operators of one precedence level, left to right: ``a || b || c``,
    ``a + b - c``, ``a * b / c``. Kept flat, so a long chain is no deeper than a short one."""

    first: Expression
    rest: list[tuple[str, Expression]]


@dataclass(slots=True)
class Binary:
    """A comparison: = != < > <= >=."""

    operator: str
    left: Expression
    right: Expression


@dataclass(slots=True)
class Unary:
    operator: str  # ! + -
    operand: Expression


@dataclass(slots=True)
class In:
    operand: Expression
    items: list[Expression]
    negated: bool


@dataclass(slots=True)
class Call:
    """A built-in function or an aggregate, by its upper-cased name."""

    name: str
    arguments: list[Expression]
    distinct: bool = False
    star: bool = False  # COUNT(*)
    separator: str | None = None  # GROUP_CONCAT


@dataclass(slots=True)
class FunctionCall:
    iri: Iri
    arguments: list[Expression]
    distinct: bool = False


@dataclass(slots=True)
class Exists:
    pattern: Group
    negated: bool


Expression = Term | Chain | Binary | Unary | In | Call | FunctionCall | Exists


# Patterns ----------------------------------------------------------------------------------------
@dataclass(slots=True)
class Group:
    elements: list[Element] = field(default_factory=list)
    subselect: Select | None = None  # a group that is a subquery holds only that


@dataclass(slots=True)
class TriplesBlock:
    triples: list[Triples]


@dataclass(slots=True)
class Filter:
    expression: Expression


@dataclass(slots=True)
class OptionalPattern:
    pattern: Group


@dataclass(slots=True)
class Minus:
    pattern: Group


@dataclass(slots=True)
class Union_:
    patterns: list[Group]


@dataclass(slots=True)
class GraphPattern:
    name: Iri | Var
    pattern: Group


@dataclass(slots=True)
class Bind:
    expression: Expression
    variable: Var


@dataclass(slots=True)
class Values:
    variables: list[Var]
    rows: list[list[Term | Undef]]


Element = TriplesBlock | Filter | OptionalPattern | Minus | Union_ | GraphPattern | Bind | Values | Group


# Queries -----------------------------------------------------------------------------------------
@dataclass(slots=True)
class Projection:
    variable: Var
    expression: Expression | None = None  # ``(expression AS ?variable)``


@dataclass(slots=True)
class OrderCondition:
    expression: Expression
    direction: str | None = None  # ASC or DESC


@dataclass(slots=True)
class GroupCondition:
    expression: Expression
    variable: Var | None = None


@dataclass(slots=True)
class Modifiers:
    group_by: list[GroupCondition] = field(default_factory=list)
    having: list[Expression] = field(default_factory=list)
    order_by: list[OrderCondition] = field(default_factory=list)
    limit: int | None = None
    offset: int | None = None


@dataclass(slots=True)
class DatasetClause:
    iri: Iri
    named: bool


@dataclass(slots=True)
class Select:
    projection: list[Projection] | None  # None: SELECT *
    where: Group
    modifier: str | None = None  # DISTINCT or REDUCED
    dataset: list[DatasetClause] = field(default_factory=list)
    modifiers: Modifiers = field(default_factory=Modifiers)
    values: Values | None = None
    base: str | None = None  # for IRI(), which resolves against it
