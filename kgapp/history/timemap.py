"""An original resource's TimeMap (RFC 7089 §5): its mementos, in ``application/link-format``
and as JSON. An entity's mementos are the retained versions in which a change touched it, and
the oldest retained version (a whole build records no change per entity); the endpoint's are
every retained version."""

from __future__ import annotations

from dataclasses import dataclass

from kgapp.commits import history
from kgapp.history.memento import http_date
from kgapp.versions import Version, VersionIndex, version_path

LINK_FORMAT = "application/link-format"


@dataclass(frozen=True)
class TimeMap:
    original: str
    self_link: str
    json_link: str
    mementos: list[Version]

    def link_format(self) -> str:
        lines = [
            f'<{self.original}>;rel="original"',
            f'<{self.original}>;rel="timegate"',
            f'<{self.self_link}>;rel="self";type="{LINK_FORMAT}"'
            + (
                f';from="{http_date(self.mementos[0].committed_at)}"'
                f';until="{http_date(self.mementos[-1].committed_at)}"'
                if self.mementos
                else ""
            ),
        ]
        for position, version in enumerate(self.mementos):
            rel = ["first"] if position == 0 else []
            rel += ["last"] if position == len(self.mementos) - 1 else []
            lines.append(
                f'<{version_path(version.number)}{self.original}>;rel="{" ".join([*rel, "memento"])}";'
                f'datetime="{http_date(version.committed_at)}"'
            )
        return ",\n".join(lines) + "\n"

    def as_json(self) -> dict[str, object]:
        listed = [
            {"datetime": http_date(v.committed_at), "uri": f"{version_path(v.number)}{self.original}"}
            for v in self.mementos
        ]
        return {
            "original_uri": self.original,
            "timegate_uri": self.original,
            "timemap_uri": {"link_format": self.self_link, "json_format": self.json_link},
            "mementos": {"first": listed[0], "last": listed[-1], "list": listed} if listed else {"list": []},
        }


def timemap(index: VersionIndex, original: str, iri: str | None) -> TimeMap:
    """The TimeMap of the resource at ``original`` (a local path), naming ``iri`` when it is one."""
    retained = [v for v in index.all() if v.retained]
    if iri is not None and retained:
        touched = set(history.versions_touching(index.data_dir, f"<{iri}>"))
        retained = [v for v in retained if v is retained[0] or v.number in touched]
    stripped = original.lstrip("/")
    return TimeMap(original, f"/timemap/link/{stripped}", f"/timemap/json/{stripped}", retained)
