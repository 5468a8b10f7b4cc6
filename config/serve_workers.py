"""Run N ASGI worker processes on consecutive ports, sharing one database and one Redis.

    make serve-workers N=2 BASE_PORT=8001
    # = .venv/bin/python -m config.serve_workers --workers 2 --base-port 8001

Each worker is a plain ``uvicorn config.asgi:application`` on its own port, with the
environment it was started from (DATABASE_URL, REDIS_URL, DEBUG, ...). Nothing sits in
front of them: open one page on :8001 and the same thread on :8002, reply on one and the
reply appears on the other, carried by the Redis channel layer. That is the point of the
exercise, so it refuses to start without REDIS_URL: the in-process channel layer cannot
carry an event from one process to another. See docs/scale-out.md.

The functions are also what tests/forum/test_live_multiprocess.py and bench/fanout.py use
to start and stop their workers.
"""

import argparse
import contextlib
import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent

NO_REDIS = (
    "REDIS_URL is not set. Several worker processes only share live updates through a Redis "
    "channel layer; without it each process keeps its own in-memory layer and a reply "
    "posted on one port never reaches pages open on another.\n"
    "Start Redis and export REDIS_URL, e.g.\n"
    "  export REDIS_URL=redis://127.0.0.1:6379/0\n"
    "and point DATABASE_URL at the PostgreSQL database all workers share, e.g.\n"
    "  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/porchlight"
)


def worker_command(port: int, *, host: str = "127.0.0.1", extra: tuple[str, ...] = ()) -> list:
    return [
        sys.executable, "-m", "uvicorn", "config.asgi:application",
        "--host", host,
        "--port", str(port),
        "--lifespan", "off",
        # Open WebSockets must not keep a stopping worker alive.
        "--timeout-graceful-shutdown", "5",
        # Live events are small; compressing each one per socket cost most of a
        # delivery's CPU and a zlib state per connection (docs/performance.md).
        "--ws-per-message-deflate", "false",
        *extra,
    ]  # fmt: skip


def start_worker(
    port: int,
    *,
    env: dict[str, str] | None = None,
    host: str = "127.0.0.1",
    output: IO | None = None,
    extra: tuple[str, ...] = (),
) -> subprocess.Popen:
    """One uvicorn process in its own session, so a Ctrl-C reaches only this script, which
    then stops every worker in order."""
    return subprocess.Popen(  # noqa: S603 - our own command line, no shell
        worker_command(port, host=host, extra=extra),
        cwd=ROOT,
        env=env if env is not None else dict(os.environ),
        stdout=output,
        stderr=subprocess.STDOUT if output is not None else None,
        start_new_session=True,
    )


def answers(host: str, port: int) -> bool:
    """Whether something on the port speaks HTTP (any status: a 301 to https or a 400 for an
    unlisted host still means the worker is up)."""
    conn = http.client.HTTPConnection(host, port, timeout=2)
    try:
        conn.request("GET", "/", headers={"Host": host})
        conn.getresponse().read()
    except OSError:
        return False
    finally:
        conn.close()
    return True


def wait_until_answering(
    workers: dict[int, subprocess.Popen], *, host: str = "127.0.0.1", timeout: float = 60
) -> None:
    """Wait (bounded) until every worker answers HTTP; raise if one exits or time runs out."""
    deadline = time.monotonic() + timeout
    waiting = dict(workers)
    while waiting:
        for port, process in list(waiting.items()):
            if process.poll() is not None:
                raise RuntimeError(f"the worker on port {port} exited with {process.returncode}")
            if answers(host, port):
                del waiting[port]
        if waiting:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"workers on ports {sorted(waiting)} did not answer within {timeout:.0f} s"
                )
            time.sleep(0.2)


def stop_workers(workers: dict[int, subprocess.Popen], *, timeout: float = 10) -> None:
    """SIGTERM every worker, wait for them together, SIGKILL what is left."""
    for process in workers.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in workers.values():
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", "-n", type=int, default=2, help="how many (default 2)")
    parser.add_argument("--base-port", type=int, default=8001, help="first port (8001)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    args = parser.parse_args(argv)
    if not os.environ.get("REDIS_URL"):
        print(f"serve-workers: {NO_REDIS}", file=sys.stderr)
        return 2
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print(
            "serve-workers: DATABASE_URL is not PostgreSQL; the workers will share the SQLite "
            "file, which works for a quick look but not under load.",
            file=sys.stderr,
        )

    # Ctrl-C stops the workers, even when started from a shell that ignores SIGINT in
    # background jobs; so does SIGTERM (e.g. from a process manager).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ports = range(args.base_port, args.base_port + args.workers)
    workers: dict[int, subprocess.Popen] = {}
    try:
        for port in ports:
            workers[port] = start_worker(port, host=args.host)
        wait_until_answering(workers, host=args.host)
        print(f"\n  {args.workers} workers sharing Redis ({_redacted(os.environ['REDIS_URL'])}):")
        for port in ports:
            print(f"    http://{args.host}:{port}/   (pid {workers[port].pid})")
        print("  Ctrl-C stops them all.\n", flush=True)
        while all(process.poll() is None for process in workers.values()):
            time.sleep(0.5)
        gone = [port for port, process in workers.items() if process.poll() is not None]
        print(f"serve-workers: the worker on port {gone[0]} exited; stopping the others.")
        return 1
    except KeyboardInterrupt:
        print("\nserve-workers: stopping.")
        return 0
    except RuntimeError as exc:
        print(f"serve-workers: {exc}", file=sys.stderr)
        return 1
    finally:
        stop_workers(workers)


def _redacted(url: str) -> str:
    """The URL without its password, fit for a terminal."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "…@" + rest.split("@", 1)[1]
    return scheme + sep + rest


if __name__ == "__main__":
    sys.exit(main())
