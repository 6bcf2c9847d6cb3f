"""System tools some tests need (Debian packages a developer may not be able to install): a test
that needs one it cannot find is skipped with the reason. ``make test`` installs them where it
can, and CI sets ``KGAPP_REQUIRE_SYSTEM_TOOLS=1``, which turns every such skip into a failure, so
that CI runs everything."""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRED_VARIABLE = "KGAPP_REQUIRE_SYSTEM_TOOLS"
PACKAGES = {
    "chromium": "chromium",
    "java": "default-jre-headless",
    "virtuoso-t": "virtuoso-opensource",
    "isql-vt": "virtuoso-opensource",
    "wrk": "wrk",
}


def require(command: str, why: str) -> str:
    """The path of ``command``; skips the test (fails it on CI) when it is not installed."""
    found = shutil.which(command)
    if found:
        return found
    message = f"{command} is not installed (Debian package {PACKAGES.get(command, command)}): {why}"
    if os.environ.get(REQUIRED_VARIABLE) == "1":
        pytest.fail(message)
    pytest.skip(message)
