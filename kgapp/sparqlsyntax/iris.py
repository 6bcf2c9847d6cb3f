"""IRI references resolved against a base, as RFC 3986 §5.2 says (``urljoin`` resolves only for
the schemes it knows)."""

from __future__ import annotations

import re

_REFERENCE = re.compile(
    r"^(?:([A-Za-z][A-Za-z0-9+.\-]*):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.S
)


def is_absolute(iri: str) -> bool:
    match = _REFERENCE.match(iri)
    return bool(match and match.group(1))


def resolve(reference: str, base: str) -> str:
    """``reference`` made absolute against ``base`` (itself absolute)."""
    ref = _REFERENCE.match(reference)
    if ref is None:  # the pattern matches every string
        return reference
    scheme, authority, path, query, fragment = ref.groups()
    if scheme is not None:
        return _compose(scheme, authority, _remove_dot_segments(path), query, fragment)
    base_parts = _REFERENCE.match(base)
    assert base_parts is not None
    b_scheme, b_authority, b_path, b_query, _ = base_parts.groups()
    if authority is not None:
        return _compose(b_scheme, authority, _remove_dot_segments(path), query, fragment)
    if path == "":
        return _compose(b_scheme, b_authority, b_path, query if query is not None else b_query, fragment)
    if path.startswith("/"):
        merged = path
    elif b_authority is not None and b_path == "":
        merged = "/" + path
    else:
        merged = b_path[: b_path.rfind("/") + 1] + path
    return _compose(b_scheme, b_authority, _remove_dot_segments(merged), query, fragment)


def _compose(
    scheme: str | None, authority: str | None, path: str, query: str | None, fragment: str | None
) -> str:
    text = f"{scheme}:" if scheme is not None else ""
    if authority is not None:
        text += "//" + authority
    text += path
    if query is not None:
        text += "?" + query
    if fragment is not None:
        text += "#" + fragment
    return text


def _remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1 or (output and output[0] != ""):
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    result = "/".join(output)
    if path.startswith("/") and not result.startswith("/"):
        result = "/" + result
    return result
