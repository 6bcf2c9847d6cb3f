"""Queries that read no data and compute nothing (:mod:`kgapp.sparqlsyntax.constant`), answered
in the web process.

``ASK {}`` is how clients and load balancers ask whether an endpoint answers: it must answer
while long queries hold every query process. Such a query reads nothing, so it is evaluated on an
empty store here, with the same answer and formats as a query process gives.
"""

from __future__ import annotations

import pyoxigraph as ox

from kgapp.engine import answer
from kgapp.engine.job import Answer, Failure, Job
from kgapp.engine.worker import answered
from kgapp.namespaces import Namespaces


def answer_without_data(job: Job) -> Answer | Failure:
    prefixes = Namespaces(job.base_iri).prefixes

    def evaluate() -> tuple[answer.Result, dict[str, str]]:
        return ox.Store().query(job.query, base_iri=job.endpoint, prefixes=prefixes), prefixes

    return answered(job, evaluate)
