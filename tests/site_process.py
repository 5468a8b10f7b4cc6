"""The site as a real process, for tests and benchmarks that need production's server:
uvicorn serving config.asgi on a free port of 127.0.0.1, configured through the
environment as in production, its output in a log file, stopped by its own pid.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.pg_cluster import free_port

ROOT = Path(__file__).resolve().parents[1]


def site_env(*, settings: str, database_url: str, status_dir: Path, **extra: str) -> dict:
    """This environment pointed at the given settings, database and /status copy directory.
    REDIS_URL is dropped so a child process never uses (or flushes) the shared Redis."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": database_url,
        "STATUS_SNAPSHOT_DIR": str(status_dir),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


class Process:
    """A child process run from the project root whose output goes to a file; ``stop()``
    ends it by its own pid."""

    def __init__(self, args: list[str], env: dict, log: Path):
        self.log = log
        self._log_file = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self._log_file, stderr=subprocess.STDOUT
        )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)
        self._log_file.close()


def start_site(env: dict, log: Path, *, timeout: float = 30) -> tuple[Process, str]:
    """Start uvicorn with ``env`` and wait until it accepts connections (it loads the app
    before it listens). Returns the process and its base URL; the caller stops it. If it
    exits or does not listen in time, it is stopped and RuntimeError carries its log."""
    port = free_port()
    options = ["--host", "127.0.0.1", "--lifespan", "off", "--log-level", "warning"]
    server = Process(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port), *options],
        env,
        log,
    )
    deadline = time.monotonic() + timeout
    while True:
        if not server.alive():
            server.stop()
            raise RuntimeError(f"uvicorn exited early:\n{server.text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server, f"http://127.0.0.1:{port}"
        except OSError:
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(
                    f"uvicorn did not listen within {timeout} s:\n{server.text()}"
                ) from None
            time.sleep(0.1)


def http_get(url: str, *, headers: dict | None = None, timeout: float = 30):
    """Status, headers (case-insensitive) and body of a GET, error statuses included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode()
