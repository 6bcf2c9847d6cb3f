"""How to cite a page of the graph, naming the build it comes from: plain text, BibTeX, CSL-JSON.

A citation names the thing's IRI (stable, and served by every deployment) and the version of
the data (the version's number and date), never the address a page was read at.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from kgapp.config import Settings
from kgapp.store import KnowledgeStore

BIBTEX_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_"}
BIBTEX_SPECIALS |= {"{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


@dataclass(frozen=True)
class Build:
    """What a citation says of the data: the graph's title, its version, when it was built, the
    license."""

    title: str
    version: str
    built_at: str
    license_name: str
    license_iri: str

    @property
    def day(self) -> str:
        return self.built_at[:10]


def build_of(store: KnowledgeStore, settings: Settings) -> Build:
    info = store.info
    return Build(
        settings.site_title, str(info.version), info.built_at, settings.license_name, settings.license_iri
    )


@dataclass(frozen=True)
class PageCitation:
    text: str
    bibtex: str
    csl_json: str
    permanent: str = ""  # the page as of the cited version, at an address that never changes


def _bibtex_escaped(text: str) -> str:
    return "".join(BIBTEX_SPECIALS.get(c, c) for c in text)


def _key(iri: str) -> str:
    return "hkus-" + (re.sub(r"[^A-Za-z0-9]+", "-", iri.rstrip("/").rsplit("/", 1)[-1]).strip("-") or "graph")


def cite(title: str, iri: str, build: Build, permanent: str = "") -> PageCitation:
    """The citation of one page (an entity, or the whole graph when ``title`` is the graph's);
    ``permanent`` is its address as of the build's version, cited where there is one."""
    whole = title == build.title
    container = "" if whole else f" In {build.title},"
    key = "hkus-graph" if whole else _key(iri)
    text = (
        f"“{title}.”{container} version {build.version} (built {build.day}). {iri}. "
        + (f"Permanent address: {permanent}. " if permanent else "")
        + f"Licensed {build.license_name} ({build.license_iri})."
    )
    year, month, day = (int(part) for part in build.day.split("-"))
    fields = {
        "title": _bibtex_escaped(title),
        "howpublished": rf"\url{{{iri}}}",
        "note": _bibtex_escaped(f"{build.title}, version {build.version}, built {build.day}"),
        "year": str(year),
        "month": str(month),
        "url": permanent or iri,
    }
    bibtex = f"@misc{{{key},\n" + ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items()) + "\n}"
    csl = {
        "id": key,
        "type": "dataset",
        "title": title,
        "version": build.version,
        "issued": {"date-parts": [[year, month, day]]},
        "URL": permanent or iri,
        "license": build.license_iri,
    }
    if container:
        csl["container-title"] = build.title
    return PageCitation(text, bibtex, json.dumps([csl], ensure_ascii=False, indent=2), permanent)
