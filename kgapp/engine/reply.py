"""An answer in the format a job asks for, whoever ran the query: the format chosen once
(``format=`` first, then ``Accept``), the answer written by the engine's bounded writer."""

from __future__ import annotations

from collections.abc import Callable

from kgapp.conneg import negotiate
from kgapp.engine.answer import Serialized
from kgapp.engine.job import FORMS, Answer, Failure, Job
from kgapp.formats import SPARQL_JSON, Format, answer_formats, by_name, content_type, offers


def reply(
    job: Job, kind: str, written_as: Callable[[Format], Serialized], as_table: Callable[[], Serialized]
) -> Answer | Failure:
    """The answer of kind ``kind`` ("solutions", "boolean", "graph") for ``job``: ``written_as``
    writes it in a format, ``as_table`` as SPARQL JSON for the query page's table."""
    if job.table:
        table = as_table()
        return Answer(kind, SPARQL_JSON.media_type, table.body, table.rows, table.truncated_by)
    chosen = _negotiated(job, kind) or choose_format(FORMS[kind], job.accept, job.format_name)
    if isinstance(chosen, Failure):
        return chosen
    media_type, fmt = chosen
    serialized = written_as(fmt)
    return Answer(kind, content_type(media_type), serialized.body, serialized.rows, serialized.truncated_by)


def _negotiated(job: Job, kind: str) -> tuple[str, Format] | None:
    """The format the endpoint negotiated before the query ran, when the answer is of the kind
    it read from the text (it reads the form lexically: a wrong guess is negotiated again)."""
    if job.chosen is None or job.text is None or job.text.form != FORMS[kind]:
        return None
    media_type, name = job.chosen
    fmt = by_name(name, answer_formats(job.text.form))
    return (media_type, fmt) if fmt is not None else None


def choose_format(form: str, accept: str | None, format_name: str | None) -> tuple[str, Format] | Failure:
    """The media type to answer with and the format that writes it: ``format=`` first, then
    ``Accept``; the query page (HTML) is the endpoint's business, not the engine's."""
    candidates = [f for f in answer_formats(form) if f.rdf or f.results]
    table = dict(offers(candidates))
    if format_name is not None:
        chosen = by_name(format_name, candidates)
        if chosen is None:
            names = sorted({n for f in candidates for n in (f.suffix, *f.names)})
            message = f"format={format_name!r} cannot be produced for a {form} query; available: "
            return Failure("not-acceptable", message + ", ".join(names), tuple(table))
        wanted = format_name.strip().lower()
        return (wanted if wanted in table else chosen.media_type), chosen
    media_type = negotiate(accept, list(table))
    if media_type is None:
        message = f"none of the requested types ({accept}) can be produced for a {form} query"
        return Failure("not-acceptable", message, tuple(table))
    return media_type, table[media_type]
