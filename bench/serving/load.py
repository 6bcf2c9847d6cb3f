"""Load from a second process: wrk (Debian's), one GET path at a time, its numbers read back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "request.lua"
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


@dataclass(frozen=True)
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int  # socket errors and non-2xx/3xx answers


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run(base_url: str, path: str, accept: str, *, distinct: bool, seconds: float, connections: int) -> Load:
    environment = os.environ | {
        "KGBENCH_PATH": path,
        "KGBENCH_ACCEPT": accept,
        "KGBENCH_DISTINCT": "1" if distinct else "0",
    }
    duration = f"-d{max(1, round(seconds))}s"  # wrk takes whole seconds
    command = ["wrk", "-t2", f"-c{connections}", duration, "--latency", "-s", str(SCRIPT), base_url]
    out = subprocess.run(command, env=environment, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE))
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(failed.group(1)) if failed else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Load(rate, _ms(latency["50"]), _ms(latency["99"]), errors)
