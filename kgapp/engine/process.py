"""One query process: ``python -m kgapp.engine.worker``, jobs down its standard input, answers up
its standard output, killed when a query outlives its deadline."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from multiprocessing.connection import Connection

from kgapp.engine.job import Ready
from kgapp.engine.worker import MEMORY_LIMIT_VARIABLE
from kgapp.errors import QueryFailed

log = logging.getLogger("kgapp.engine")
WORKER_MODULE = "kgapp.engine.worker"
READY_TIMEOUT_S = 30.0


class QueryProcess:
    """A ``python -m kgapp.engine.worker`` process; jobs go down its stdin, answers up its stdout."""

    def __init__(self, memory_mb: int) -> None:
        environment = os.environ | {MEMORY_LIMIT_VARIABLE: str(memory_mb)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
            env=environment,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.jobs = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.ready = self._wait_until_ready()

    def _wait_until_ready(self) -> Ready:
        if not self.answers.poll(READY_TIMEOUT_S):
            self.stop()
            raise QueryFailed("a query process did not start; this is logged")
        message = self.answers.recv()
        assert isinstance(message, Ready)
        return message

    @property
    def pid(self) -> int:
        return self.process.pid

    def died_of_memory(self) -> bool:
        """Whether the process ended by aborting: how the engine stops when an allocation fails
        under the memory limit."""
        try:
            return self.process.wait(timeout=2) == -signal.SIGABRT
        except subprocess.TimeoutExpired:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.error("query process %s did not exit after kill", self.pid)
        self.jobs.close()
        self.answers.close()
