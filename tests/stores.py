"""Real SPARQL stores for the tests: ``oxigraph serve`` and Virtuoso Open Source 7, each in a
temporary directory on free ports, started, stopped and restarted as a process."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

START_TIMEOUT_S = 60
VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class StoreServer:
    """One store process; ``settings`` are the app's remote settings that reach it."""

    name: str
    command: list[str]
    directory: Path
    query_url: str
    settings: dict[str, str]
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def log_path(self) -> Path:
        return self.directory / f"{self.name}.out"

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command, cwd=self.directory, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log()}")
            if self.answers():
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {START_TIMEOUT_S} s:\n{self.log()}")

    def answers(self) -> bool:
        try:
            response = requests.post(
                self.query_url,
                data={"query": "ASK {}"},
                headers={"Accept": "application/sparql-results+xml"},
                timeout=2,
            )
        except requests.RequestException:
            return False
        return response.status_code == 200

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]


def oxigraph_server(directory: Path) -> StoreServer:
    """``oxigraph serve``, read-write, on a database in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    command = [binary, "serve", "--location", str(directory / "db"), "--bind", f"127.0.0.1:{port}"]
    settings = {
        "store_backend": "remote",
        "remote_query_url": f"{url}/query",
        "remote_update_url": f"{url}/update",
        "remote_store_url": f"{url}/store",
    }
    return StoreServer("oxigraph", command, directory, f"{url}/query", settings)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
MaxClientConnections = 20
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 512M

[HTTPServer]
ServerPort = {http_port}
ServerRoot = {vsp}
MaxClientConnections = 20
ServerThreads = 20
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
DefaultQuery = ASK {{}}
"""


def virtuoso_server(directory: Path, max_rows: int = 1_000_000) -> StoreServer:
    """Virtuoso Open Source 7 on a fresh database in ``directory``: anonymous SPARQL at
    ``/sparql``, updates at ``/sparql-auth`` and the Graph Store Protocol at
    ``/sparql-graph-crud-auth``, both with digest authentication (a fresh database's dba)."""
    directory.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            dir=directory, sql_port=sql_port, http_port=http_port, vsp=VIRTUOSO_VSP, max_rows=max_rows
        ),
        encoding="utf-8",
    )
    binary = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
    url = f"http://127.0.0.1:{http_port}"
    settings = {
        "store_backend": "remote",
        "remote_query_url": f"{url}/sparql",
        "remote_update_url": f"{url}/sparql-auth",
        "remote_store_url": f"{url}/sparql-graph-crud-auth",
        "remote_user": "dba",
        "remote_password": "dba",
    }
    return StoreServer("virtuoso", [binary, "-f", "-c", str(ini)], directory, f"{url}/sparql", settings)


def publish(store: StoreServer, project_root: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """``kgapp build`` with the store as its backend: the build in ``data_dir`` (made already,
    or made now) is written into the store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KGAPP_")}
    env |= {"KGAPP_PROJECT_ROOT": str(project_root), "KGAPP_DATA_DIR": str(data_dir)}
    env |= {f"KGAPP_{k.upper()}": v for k, v in store.settings.items()}
    return subprocess.run(
        [sys.executable, "-m", "kgapp.cli", "build"], env=env, capture_output=True, text=True, timeout=600
    )
