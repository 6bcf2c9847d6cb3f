"""The one JSON key convention of the app: camelCase keys, from the snake_case names of the
dataclass fields (or error details) they come from. Dict keys are data (graph IRIs, counts by
class…) and are kept as they are."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from kgapp.readmodel import HIDDEN


def camel(name: str) -> str:
    """``built_at`` → ``builtAt``; a name without underscores is unchanged."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def to_json(value: Any) -> Any:
    """A page, record or value as plain JSON data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            camel(f.name): to_json(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.metadata.get(HIDDEN, True)
        }
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    return value


def keyed(details: Mapping[str, Any]) -> dict[str, Any]:
    """Named values (an error's details) under the convention's keys."""
    return {camel(k): to_json(v) for k, v in details.items()}
