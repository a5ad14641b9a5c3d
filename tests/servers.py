"""Private Redis and PostgreSQL servers that a test may stop and start: the machine's own
servers are shared, so the fault tests never touch them. Each runs on a free port, with
its data in a temporary folder, and is killed (never left running) at the end."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.conftest import need


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait(port: int, up: bool, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while _listening(port) != up:
        if time.monotonic() > deadline:
            raise TimeoutError(f"port {port} did not {'open' if up else 'close'} in {timeout:.0f} s")
        time.sleep(0.05)


class RedisServer:
    """redis-server on its own port, keeping nothing on disk (like the machine's), or, if
    `persistent`, writing every change to disk first (as a deployed tracker store would)."""

    def __init__(self, persistent: bool = False) -> None:
        binary = shutil.which("redis-server")
        need(binary is not None, "redis-server (apt install redis-server)")
        self.port = free_port()
        self.command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        self.folder = tempfile.mkdtemp(prefix="kalasag-redis-")
        on_disk = ["--dir", self.folder, "--appendonly", "yes", "--appendfsync", "always"]
        self.command += on_disk if persistent else ["--appendonly", "no"]
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL)
        _wait(self.port, up=True)

    def stop(self) -> None:
        """Gone at once, as a crash or a network cut would leave it."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        _wait(self.port, up=False)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class PostgresServer:
    """A PostgreSQL cluster of its own (initdb), on its own port. As root, it runs as the
    `postgres` user, since PostgreSQL refuses to run as root."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or [shutil.which("initdb")]
        need(found[-1] is not None, "PostgreSQL's initdb and pg_ctl (apt install postgresql)")
        self.bin = Path(found[-1]).parent
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="kalasag-pg-")
        self.data = os.path.join(self.folder, "data")
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run(self.bin / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/kalasag"

    def _run(self, *command: object) -> None:
        subprocess.run([*self.as_user, *map(str, command)], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-o", options, "-l",
                  os.path.join(self.folder, "log"), "-w", "start")
        _wait(self.port, up=True)

    def stop(self) -> None:
        """Immediate shutdown: open connections break, as in a crash."""
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        _wait(self.port, up=False)

    def remove(self) -> None:
        if _listening(self.port):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
