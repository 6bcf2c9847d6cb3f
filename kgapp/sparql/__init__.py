"""The SPARQL 1.1 endpoint: protocol, worker-process execution, descriptions, dumps, query page.

``blueprint`` is imported lazily so that query worker processes, which import
:mod:`kgapp.sparql.worker`, do not load Flask and the web layer.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "blueprint":
        from kgapp.sparql.views import blueprint

        return blueprint
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
