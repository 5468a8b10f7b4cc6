"""A throwaway PostgreSQL server for outage tests: its own data directory, its own free port
on 127.0.0.1, trust authentication, stopped and started at will. Never the shared server.

initdb refuses to run as root, so when the tests run as root (CI does) the cluster belongs
to the ``postgres`` OS user and every server command runs through ``runuser``.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def binaries_missing() -> str:
    """Why a cluster cannot be started here, or "" when it can."""
    for name in ("initdb", "pg_ctl", "postgres", "psql"):
        if not (PG_BIN / name).exists():
            return f"PostgreSQL server binaries not found in {PG_BIN} (set PG_BIN)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres OS user to own the cluster"
    return ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgCluster:
    """One PostgreSQL server. ``start()``/``stop()``/``restart()`` may be called any number
    of times; ``destroy()`` stops it and removes its files."""

    def __init__(self, *, database: str = "outage"):
        self.port = free_port()
        self.database = database
        self.root = Path(tempfile.mkdtemp(prefix="porchlight-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.log = self.root / "server.log"
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self.root.chmod(0o700)
        self._run(
            PG_BIN / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "--encoding=UTF8",
            "--locale=C",
        )
        self._run("mkdir", "-p", self.sockets)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    def _run(self, *args, check=True, timeout=60) -> subprocess.CompletedProcess:
        command = [str(a) for a in args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, timeout=timeout, capture_output=True, text=True)

    def _pg_ctl(self, action: str, *extra, check=True) -> subprocess.CompletedProcess:
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off"
        )
        return self._run(
            PG_BIN / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.log,
            "-o",
            options,
            "-w",
            "-t",
            "30",
            *extra,
            action,
            check=check,
        )

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        # Fast mode: disconnect clients and shut down at once, as an operator's restart does.
        self._pg_ctl("stop", "-m", "fast")

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def running(self) -> bool:
        return self._pg_ctl("status", check=False).returncode == 0

    def pid(self) -> int | None:
        pidfile = self.data / "postmaster.pid"
        try:
            return int(pidfile.read_text().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None

    def _psql(self, database: str, *args) -> subprocess.CompletedProcess:
        return self._run(
            PG_BIN / "psql", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "-d", database,
            *args,
        )  # fmt: skip

    def create_database(self) -> None:
        self._psql("postgres", "-c", f'CREATE DATABASE "{self.database}"')

    def query(self, sql: str) -> str:
        """Run one statement with psql; its output, unaligned, without headers."""
        return self._psql(self.database, "-At", "-c", sql).stdout.strip()

    def destroy(self) -> None:
        """Stop this server (only this one: its own data directory, then its own pid) and
        remove its files."""
        try:
            if self.running():
                self._pg_ctl("stop", "-m", "immediate", check=False)
            pid = self.pid()
            if pid:
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline and _alive(pid):
                    time.sleep(0.1)
                if _alive(pid):
                    os.kill(pid, 9)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except FileNotFoundError:
            return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
