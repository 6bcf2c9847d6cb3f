"""Change records as pages read them: versions, what each changed, and which versions changed an
entity, with each term shown as a reader reads it (its label, linked where it is ours)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kgapp import queries
from kgapp.commits import history
from kgapp.errors import NotFound
from kgapp.readmodel.links import Links
from kgapp.readmodel.names import label_of
from kgapp.store import KnowledgeStore
from kgapp.versions import Version, VersionIndex, version_path
from kgapp.web.pages import Page
from kgapp.web.urls import UrlBuilder


@dataclass(frozen=True)
class Term:
    text: str  # N-Triples form, as recorded
    label: str
    href: str | None


@dataclass(frozen=True)
class Fact:
    op: str  # "+" added, "-" removed
    graph: str
    subject: Term
    predicate: Term
    object: Term

    @property
    def added(self) -> bool:
        return self.op == "+"


@dataclass(frozen=True)
class VersionSummary(Version):
    """A version as pages list it: with its address (when retained) and its change record's."""

    href: str | None = None
    record_href: str = ""


@dataclass
class ChangesPage(Page):
    template = "history/changes.html"
    versions: list[VersionSummary]
    current: int


@dataclass(frozen=True)
class FeedEntry:
    version: VersionSummary
    touched: list[Term]  # the things its changes are about (at most FEED_TOUCHED of them)


FEED_ENTRIES = 50
FEED_TOUCHED = 20


@dataclass
class ChangePage(Page):
    template = "history/change.html"
    version: VersionSummary
    facts: list[Fact]
    entities: list[Term] = field(default_factory=list)


@dataclass
class EntityHistoryPage(Page):
    template = "history/entity.html"
    iri: str
    label: str
    href: str | None
    path: str  # its local path outside any version, to address it as of each version
    changes: list[tuple[VersionSummary, list[Fact]]]
    blame: list[
        tuple[Fact, int | None]
    ]  # each fact now, and the version that put it in (None: a whole build)


def summary(version: Version, urls: UrlBuilder) -> VersionSummary:
    return VersionSummary(
        **vars(version),
        href=version_path(version.number) + "/" if version.retained else None,
        record_href=urls.page("history.change", number=version.number),
    )


def changes_page(index: VersionIndex, urls: UrlBuilder, agent: str | None = None) -> ChangesPage:
    """Every version, newest first; only those one agent made, when ``agent`` is given."""
    every = index.all()
    shown = [v for v in every if agent is None or v.agent == agent]
    return ChangesPage([summary(v, urls) for v in reversed(shown)], every[-1].number if every else 0)


def feed_entries(index: VersionIndex, store: KnowledgeStore, urls: UrlBuilder) -> list[FeedEntry]:
    """The newest versions, each with the things it touched, for subscribers."""
    entries = []
    for version in list(reversed(index.all()))[:FEED_ENTRIES]:
        subjects = dict.fromkeys(row[2] for row in history.changes_in(index.data_dir, version.number))
        touched = [_term(s, store, urls) for s in subjects if s.startswith("<")][:FEED_TOUCHED]
        entries.append(FeedEntry(summary(version, urls), touched))
    return entries


def change_page(index: VersionIndex, number: int, store: KnowledgeStore, urls: UrlBuilder) -> ChangePage:
    version = index.get(number)
    facts = [_fact(row, store, urls) for row in history.changes_in(index.data_dir, number)]
    subjects = {f.subject.text: f.subject for f in facts}
    return ChangePage(summary(version, urls), facts, sorted(subjects.values(), key=lambda t: t.label))


def entity_history_page(
    index: VersionIndex, iri: str, store: KnowledgeStore, urls: UrlBuilder
) -> EntityHistoryPage:
    """The versions (up to the one ``store`` holds) whose changes mention ``iri``, and each fact
    stated about it now with the version that put it in (its blame)."""
    shown = store.info.version
    rows = [r for r in history.touching(index.data_dir, str(ox.NamedNode(iri))) if r[0] <= shown]
    now = _stated_about(store, iri)
    if not rows and not now:
        raise NotFound(f"nothing is known about <{iri}>, and no recorded change mentions it", iri=iri)
    by_version: dict[int, list[Fact]] = {}
    introduced: dict[tuple[str, str, str, str], int] = {}
    for version, op, *quad in rows:
        by_version.setdefault(version, []).append(_fact((op, *quad), store, urls))  # type: ignore[arg-type]
        key = (quad[0], quad[1], quad[2], quad[3])
        if op == "+":
            introduced[key] = version
        else:
            introduced.pop(key, None)
    versions = {v.number: v for v in index.all()}
    changes = [(summary(versions[n], urls), facts) for n, facts in sorted(by_version.items(), reverse=True)]
    blame = [(_fact(("+", *quad), store, urls), introduced.get(quad)) for quad in sorted(now)]
    path = Links(store.namespaces).href(iri) or ""
    return EntityHistoryPage(iri, label_of(store, iri), urls.href(iri), path, changes, blame)


def _fact(row: tuple[str, str, str, str, str], store: KnowledgeStore, urls: UrlBuilder) -> Fact:
    op, graph, subject, predicate, obj = row
    terms = [_term(text, store, urls) for text in (subject, predicate, obj)]
    return Fact(op, graph, *terms)


def _term(text: str, store: KnowledgeStore, urls: UrlBuilder) -> Term:
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
        return Term(text, label_of(store, iri), urls.href(iri))
    if text.startswith("_:"):
        return Term(text, "(a node without a name)", None)
    return Term(text, _literal_text(text), None)


def _literal_text(text: str) -> str:
    """A literal's lexical form, from its N-Triples form."""
    try:
        parsed = next(iter(ox.parse(f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES)))
    except (SyntaxError, StopIteration):
        return text
    literal = parsed.object
    return literal.value if isinstance(literal, ox.Literal) else text


@dataclass
class ComparisonPage(Page):
    template = "history/compare.html"
    iri: str
    label: str
    href: str | None
    older: VersionSummary
    newer: VersionSummary
    facts: list[Fact]  # "-": only in the older version, "+": only in the newer one


def comparison_page(
    index: VersionIndex, iri: str, older: int, newer: int, store: KnowledgeStore, urls: UrlBuilder
) -> ComparisonPage:
    """What the named graphs said about ``iri`` in version ``newer`` and not in ``older``, and the
    other way round."""
    before, after = _stated_about(index.store(older), iri), _stated_about(index.store(newer), iri)
    rows = [("-", *q) for q in sorted(before - after)] + [("+", *q) for q in sorted(after - before)]
    versions = {v.number: v for v in index.all()}
    return ComparisonPage(
        iri,
        label_of(store, iri),
        urls.href(iri),
        summary(versions[older], urls),
        summary(versions[newer], urls),
        [_fact(row, store, urls) for row in rows],
    )


def _stated_about(store: KnowledgeStore, iri: str) -> set[tuple[str, str, str, str]]:
    rows = store.select(queries.load("history/stated_about"), bindings={"this": ox.NamedNode(iri)})
    hidden = store.namespaces.hidden_graphs | {store.namespaces.inferred_graph}
    return {
        (row["g"].value, str(row["s"]), str(row["p"]), str(row["o"]))
        for row in rows
        if row["g"].value not in hidden
    }
