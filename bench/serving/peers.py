"""The servers the benchmark compares, each started in its own process on a free port.

- ``ours``: ``kgapp serve`` on a build of the project.
- ``oxigraph (union)``: ``oxigraph serve-read-only --union-default-graph`` on our N-Quads dump,
  every named graph (the default graph is their union, computed per query).
- ``oxigraph (default graph)``: ``oxigraph serve-read-only`` on our endpoint's default graph as
  its own default graph, as our store keeps it (the engine's best case).
- ``rdflib-endpoint``: rdflib's engine on the same dump.
- ``floor``: a Flask route that does nothing, under granian as ``kgapp serve`` runs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass
class Peer:
    name: str
    url: str
    sparql_path: str  # where its SPARQL endpoint answers
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def _start(name: str, command: list[str], probe: str, port: int, sparql: str, work: Path, **env: str) -> Peer:
    log = work / f"{name.split()[0]}-{port}.log"
    process = subprocess.Popen(
        command, env=os.environ | env, stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=ROOT
    )
    url = f"http://127.0.0.1:{port}"
    _wait(url + probe, process, log)
    return Peer(name, url, sparql, [process])


def ours(data_dir: Path, project_root: Path, work: Path) -> Peer:
    port = free_port()
    environment = {
        "KGAPP_PROJECT_ROOT": str(project_root),
        "KGAPP_DATA_DIR": str(data_dir),
        "KGAPP_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "kgapp.cli", "serve", "--no-build", "--port", str(port)]
    return _start("ours", command, "/health", port, "/sparql", work, **environment)


def oxigraph(name: str, dump: Path, work: Path, union: bool) -> Peer:
    location = work / f"oxigraph-{'union' if union else 'default'}"
    binary = str(BIN / "oxigraph") if (BIN / "oxigraph").exists() else shutil.which("oxigraph") or "oxigraph"
    subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(dump)], check=True, capture_output=True
    )
    port = free_port()
    command = [binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    if union:
        command.append("--union-default-graph")
    return _start(name, command, "/query?query=ASK%7B%7D", port, "/query", work)


def rdflib_endpoint(dump: Path, work: Path) -> Peer:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.serving.rdflib_peer:app",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    return _start("rdflib-endpoint", command, "/?query=ASK%7B%7D", port, "/", work, KGBENCH_DUMP=str(dump))


def floor(work: Path, workers: int, threads: int) -> Peer:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--port",
        str(port),
        "--no-log",
        "bench.serving.floor:app",
    ]
    return _start("floor", command, "/nothing", port, "", work)
