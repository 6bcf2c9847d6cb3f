"""Real SPARQL stores for the tests: ``oxigraph serve`` and Virtuoso Open Source 7, each in a
temporary directory on free ports, started, stopped and restarted as a process — configured as
docs/deploy.md tells users to: a query time limit at the store equal to the app's, and on
Virtuoso an account that can only read for the web app, another for builds, and no default
administrator password."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests import lanes
from tests.system_tools import require

START_TIMEOUT_S = 60
VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")
QUERY_TIMEOUT_S = 10  # the app's query_timeout_s, which each store's own limit is set to


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class StoreServer:
    """One store process. ``settings`` are what builds use to reach it (they write);
    ``reader_settings`` what the web app uses (it only reads)."""

    name: str
    command: list[str]
    directory: Path
    query_url: str
    settings: dict[str, str]
    reader_settings: dict[str, str]
    first_start: Callable[[StoreServer], None] | None = field(default=None, repr=False)
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    started_once: bool = False

    @property
    def log_path(self) -> Path:
        return self.directory / f"{self.name}.out"

    def start(self) -> None:
        lanes.check("store", f"starting {self.name}")
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command, cwd=self.directory, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log()}")
            if self.answers():
                if self.first_start and not self.started_once:
                    self.first_start(self)
                self.started_once = True
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

    def cpu_seconds(self) -> float:
        """User and system time the store's process has used so far."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def oxigraph_server(directory: Path, timeout_s: int = QUERY_TIMEOUT_S) -> StoreServer:
    """``oxigraph serve``, read-write, on a database in ``directory``, with ``--timeout-s``: the
    only thing that stops a query there (closing the connection does not). It has no accounts,
    so the web app reads with the same (no) credentials as builds."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    command = [binary, "serve", "--location", str(directory / "db"), "--bind", f"127.0.0.1:{port}"]
    command += ["--timeout-s", str(timeout_s)]
    reader = {"store_backend": "remote", "remote_query_url": f"{url}/query"}
    settings = reader | {"remote_update_url": f"{url}/update", "remote_store_url": f"{url}/store"}
    return StoreServer("oxigraph", command, directory, f"{url}/query", settings, reader)


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
MaxQueryExecutionTime = {timeout_s}
MaxQueryCostEstimationTime = 400
DefaultQuery = ASK {{}}
"""


def virtuoso_server(
    directory: Path, max_rows: int = 1_000_000, timeout_s: int = QUERY_TIMEOUT_S
) -> StoreServer:
    """Virtuoso Open Source 7 on a fresh database in ``directory``, set up as docs/deploy.md
    says: on first start the administrator's default password is replaced by a random one, and
    two accounts are made — ``kgapp_reader``, which can only read (the web app queries through
    ``/sparql-auth`` with it), and ``kgapp_writer``, which builds write with (updates at
    ``/sparql-auth``, the Graph Store Protocol at ``/sparql-graph-crud-auth``)."""
    directory.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            dir=directory,
            sql_port=sql_port,
            http_port=http_port,
            vsp=VIRTUOSO_VSP,
            max_rows=max_rows,
            timeout_s=timeout_s,
        ),
        encoding="utf-8",
    )
    binary = require("virtuoso-t", "the tests on a Virtuoso store")
    require("isql-vt", "setting up the accounts of the test Virtuoso store")
    url = f"http://127.0.0.1:{http_port}"
    accounts = {name: secrets.token_hex(12) for name in ("dba", "kgapp_reader", "kgapp_writer")}
    reader = {
        "store_backend": "remote",
        "remote_query_url": f"{url}/sparql-auth",
        "remote_user": "kgapp_reader",
        "remote_password": accounts["kgapp_reader"],
    }
    settings = reader | {
        "remote_update_url": f"{url}/sparql-auth",
        "remote_store_url": f"{url}/sparql-graph-crud-auth",
        "remote_user": "kgapp_writer",
        "remote_password": accounts["kgapp_writer"],
    }

    def secure(store: StoreServer) -> None:
        virtuoso_sql(sql_port, "dba", VIRTUOSO_ACCOUNTS.format(**accounts))

    command = [binary, "-f", "-c", str(ini)]
    return StoreServer("virtuoso", command, directory, f"{url}/sparql", settings, reader, secure)


# What docs/deploy.md has an operator run once on a new Virtuoso database (isql, as dba).
VIRTUOSO_ACCOUNTS = """DB.DBA.USER_CREATE('kgapp_reader', '{kgapp_reader}');
GRANT SPARQL_SELECT TO "kgapp_reader";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET('kgapp_reader', 1);
DB.DBA.USER_CREATE('kgapp_writer', '{kgapp_writer}');
GRANT SPARQL_SELECT TO "kgapp_writer";
GRANT SPARQL_UPDATE TO "kgapp_writer";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET('kgapp_writer', 3);
USER_SET_PASSWORD('dba', '{dba}');
"""


def virtuoso_sql(port: int, user: str, statements: str, password: str = "dba") -> str:
    """Run SQL statements with Virtuoso's isql; the output, or RuntimeError on an error."""
    binary = require("isql-vt", "setting up the accounts of the test Virtuoso store")
    done = subprocess.run(
        [binary, str(port), user, password],
        input=statements,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0 or "*** Error" in done.stdout:
        raise RuntimeError(f"isql failed ({done.returncode}): {done.stdout[-2000:]} {done.stderr[-2000:]}")
    return done.stdout


def publish(store: StoreServer, project_root: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """``kgapp build`` with the store as its backend: the build in ``data_dir`` (made already,
    or made now) is written into the store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KGAPP_")}
    env |= {"KGAPP_PROJECT_ROOT": str(project_root), "KGAPP_DATA_DIR": str(data_dir)}
    env |= {f"KGAPP_{k.upper()}": v for k, v in store.settings.items()}
    return subprocess.run(
        [sys.executable, "-m", "kgapp.cli", "build"], env=env, capture_output=True, text=True, timeout=600
    )
