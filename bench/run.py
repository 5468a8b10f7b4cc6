"""The first benchmark, in one command: ``make bench`` (or ``.venv/bin/python bench/run.py``).

It recreates the ``porchlight_bench`` PostgreSQL database, migrates, collects static files,
seeds the Help board through the services (bench/seed.py), serves the site the way
README's production section does (uvicorn, 2 workers, DEBUG=false, Redis cache) with
bench.settings (the product's settings plus a ceiling view), checks every page answers
200, warms up, then loads each page with wrk for a fixed time, and the JSON API's busiest
reads the same way with the signed-in reader's personal access token (a board's first
page, its next page by cursor, a thread's posts, a thread answered 304 by its ETag), and
writes the figures to
bench/results/<date>.md, and the same figures as JSON to bench/results/latest.json (its
shape is a contract, see ``json_summary``). The server is stopped at the end, also on
error or Ctrl-C.

BENCH_PROXY=nginx also starts Debian's nginx with config/nginx/porchlight.conf (TLS, the
configuration docs/operations.md describes) in front of the same uvicorn, and measures every
page twice in the same run: straight to uvicorn, then through nginx. The JSON's top level
holds the direct figures; ``via_nginx`` holds the proxied ones in the same shape.

Environment knobs (all optional): BENCH_DURATION (seconds per page, default 15),
BENCH_CONNECTIONS (default 32), BENCH_PORT (default: a free port), BENCH_DATABASE_NAME,
BENCH_PG (host:port, default 127.0.0.1:5432), BENCH_REDIS_URL (default
redis://127.0.0.1:6379/9), BENCH_DB_CONN_MAX_AGE (default 0, see below), BENCH_PROXY
(``nginx`` or empty).

DB_CONN_MAX_AGE is 0 by default: under ASGI every request runs in a fresh thread with its
own connection, so persistent connections pile up until PostgreSQL refuses clients
("too many clients already"), and Django's documentation says to disable them under ASGI.
BENCH_DB_CONN_MAX_AGE=60 reproduces that; it starves every other user of the server.
"""

import datetime as dt
import http.client
import json
import os
import platform
import re
import resource
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

# Run as a script (bench/run.py), the project root is not on the path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from config import nginx  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# BENCH_RESULTS_DIR sends a trial run's files elsewhere (the opt-in smoke test does).
RESULTS_DIR = Path(os.environ.get("BENCH_RESULTS_DIR") or ROOT / "bench" / "results")

DURATION = int(os.environ.get("BENCH_DURATION", "15"))
WARMUP = 3
DRAIN = 2
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
WRK_THREADS = 2
WORKERS = 2
DB_NAME = os.environ.get("BENCH_DATABASE_NAME", "porchlight_bench")
PG_HOST, _, PG_PORT = os.environ.get("BENCH_PG", "127.0.0.1:5432").partition(":")
PG_USER = "postgres"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
DB_CONN_MAX_AGE = os.environ.get("BENCH_DB_CONN_MAX_AGE", "0")
# README's production setting: psycopg's pool, per worker (0 turns it off).
DB_POOL_SIZE = os.environ.get("BENCH_DB_POOL_SIZE", "10")
HOST = "127.0.0.1"
PROXY_HEADER = ("X-Forwarded-Proto", "https")
# Browsers ask for compressed pages, so the load does too; its CPU is part of the cost.
ACCEPT_ENCODING = ("Accept-Encoding", "gzip, deflate, br")
PROXY = os.environ.get("BENCH_PROXY", "").strip().lower()
LATEST_JSON = RESULTS_DIR / "latest.json"
# The contract's page keys, by the name each target has in the Markdown report.
JSON_PAGES = {
    "thread_anon": "thread (anonymous)",
    "thread_signed_in": "thread (signed in)",
    "board_anon": "board (anonymous)",
}
# The JSON API's busiest reads, as the same signed-in reader with a read token; in the JSON
# in the same shape as the pages when they were measured.
API_PAGES = {
    "api_board_threads": "API: board threads",
    "api_board_threads_cursor": "API: board threads, cursor",
    "api_thread_posts": "API: thread posts",
    "api_thread_not_modified": "API: thread, If-None-Match",
}
# The per-token budget (API_TOKEN_RATE, 5000/h by default) would answer the load with 429
# within seconds; the budget is still counted in Redis on every request, as in production.
API_TOKEN_RATE = "100000000/h"


class BenchError(Exception):
    pass


@dataclass(frozen=True)
class Endpoint:
    """Where the load goes: straight to uvicorn (http, with the proxy's header added by
    hand) or to nginx (https; nginx sets the forwarded headers itself)."""

    scheme: str
    port: int
    label: str = "direct"

    def url(self, path: str) -> str:
        return f"{self.scheme}://{HOST}:{self.port}{path}"

    @property
    def headers(self) -> dict[str, str]:
        return {PROXY_HEADER[0]: PROXY_HEADER[1]} if self.scheme == "http" else {}


@dataclass
class Target:
    name: str
    path: str
    cookie: str = ""
    headers: dict = field(default_factory=dict)
    # Load it with If-None-Match of its own ETag, taken from the server before the load.
    conditional: bool = False
    result: dict = field(default_factory=dict)
    raw: str = ""
    sizes: dict = field(default_factory=dict)


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def run(cmd: list[str], *, env: dict | None = None, timeout: int = 120) -> str:
    done = subprocess.run(
        cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise BenchError(
            f"{' '.join(cmd)} exited with {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def production_env(*, port: int, static_root: Path) -> dict[str, str]:
    """README's production environment, pointed at the bench database and Redis index."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{DB_NAME}",
            "REDIS_URL": REDIS_URL,
            "ALLOWED_HOSTS": HOST,
            "DB_CONN_MAX_AGE": DB_CONN_MAX_AGE,
            "DB_POOL_SIZE": DB_POOL_SIZE,
            "API_TOKEN_RATE": API_TOKEN_RATE,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_STATIC_ROOT": str(static_root),
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


class ConnectionSampler(threading.Thread):
    """Polls how many connections the server holds to the bench database (peak per page)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        import psycopg

        dsn = f"host={PG_HOST} port={PG_PORT} user={PG_USER} dbname={DB_NAME}"
        query = "SELECT count(*) - 1 FROM pg_stat_activity WHERE datname = %s"
        with psycopg.connect(dsn, autocommit=True) as conn:
            while not self.stopped.wait(0.25):
                count = conn.execute(query, [DB_NAME]).fetchone()[0]
                self.peak = max(self.peak, count)

    def take_peak(self) -> int:
        peak, self.peak = self.peak, 0
        return peak


class CpuMeter:
    """CPU seconds spent by the server (uvicorn and its workers), PostgreSQL, wrk and the whole
    machine, so a run on a busy machine shows how much of the CPU the server really had."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid

    def _process_seconds(self) -> tuple[float, float]:
        """(uvicorn and its workers, every PostgreSQL process). Backends that already exited
        are counted through the postmaster's children times (cutime, cstime)."""
        server = postgres = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                head, _, tail = stat.read_text().rpartition(")")
            except OSError:
                continue
            pid, comm, fields = int(stat.parent.name), head.partition("(")[2], tail.split()
            utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
            if pid == self.server_pid or int(fields[1]) == self.server_pid:
                server += utime + stime
            elif comm == "postgres":
                postgres += utime + stime + cutime + cstime
        return server / self.TICK, postgres / self.TICK

    @staticmethod
    def _machine_seconds() -> tuple[float, float]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = values[3] + values[4]
        return (sum(values) - idle) / CpuMeter.TICK, sum(values) / CpuMeter.TICK

    def snapshot(self) -> tuple[float, ...]:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy, total = self._machine_seconds()
        server, postgres = self._process_seconds()
        return server, postgres, children.ru_utime + children.ru_stime, busy, total

    @staticmethod
    def usage(before: tuple, after: tuple, requests: int) -> dict:
        server, postgres, wrk, busy, total = (b - a for a, b in zip(before, after, strict=True))
        elapsed = total / (os.cpu_count() or 1)
        requests = max(requests, 1)
        return {
            "server_cpu_ms": 1000 * server / requests,
            "postgres_cpu_ms": 1000 * postgres / requests,
            "server_cores": server / elapsed,
            "postgres_cores": postgres / elapsed,
            "wrk_cores": wrk / elapsed,
            "other_cores": max(busy - server - postgres - wrk, 0) / elapsed,
        }


def recreate_database() -> None:
    pg = ["-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER]
    run(["dropdb", *pg, "--if-exists", "--force", DB_NAME])
    run(["createdb", *pg, DB_NAME])


def uvicorn_command(port: int) -> list[str]:
    uvicorn = Path(sys.executable).parent / "uvicorn"
    return [
        str(uvicorn),
        "config.asgi:application",
        "--host", HOST,
        "--port", str(port),
        "--workers", str(WORKERS),
        "--proxy-headers",
        "--forwarded-allow-ips", HOST,
        "--lifespan", "off",
        "--ws-per-message-deflate", "false",
    ]  # fmt: skip


def get(
    endpoint: Endpoint,
    path: str,
    cookie: str = "",
    *,
    gzip_ok: bool = False,
    extra: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One request as the proxy would forward it; redirects are reported, not followed."""
    if endpoint.scheme == "https":
        tls = ssl.create_default_context()
        tls.check_hostname, tls.verify_mode = False, ssl.CERT_NONE
        conn = http.client.HTTPSConnection(HOST, endpoint.port, timeout=10, context=tls)
    else:
        conn = http.client.HTTPConnection(HOST, endpoint.port, timeout=10)
    headers = dict(endpoint.headers)
    if gzip_ok:
        headers[ACCEPT_ENCODING[0]] = ACCEPT_ENCODING[1]
    if cookie:
        headers["Cookie"] = cookie
    headers.update(extra or {})
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def wait_until_serving(server: subprocess.Popen, endpoint: Endpoint, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(
                f"{server.args[0]} exited with {server.returncode}:\n{log_path.read_text()}"
            )
        try:
            get(endpoint, "/bench/ceiling/")
        except OSError:
            time.sleep(0.2)
        else:
            return
    raise BenchError(f"{server.args[0]} did not answer within 30 s:\n{log_path.read_text()}")


def check_pages(endpoint: Endpoint, targets: list[Target], seeded: dict) -> None:
    """Every measured URL must answer 200 with the page we think we are measuring; notes
    its size as sent plain and gzip-compressed."""
    for target in targets:
        if target.conditional:
            # The ETag as a client that accepts gzip is given it (weak once compressed).
            unconditional = {k: v for k, v in target.headers.items() if k != "If-None-Match"}
            _, first, _ = get(endpoint, target.path, extra=unconditional, gzip_ok=True)
            if "etag" not in first:
                raise BenchError(f"{target.name}: GET {target.path} carries no ETag")
            target.headers = unconditional | {"If-None-Match": first["etag"]}
        status, headers, body = get(endpoint, target.path, target.cookie, extra=target.headers)
        expected = 304 if target.conditional else 200
        if status != expected:
            hint = {
                301: " (a redirect to https: is the X-Forwarded-Proto header missing?)",
                302: " (a redirect: is the session cookie valid?)",
                400: " (is the host in ALLOWED_HOSTS?)",
            }.get(status, "")
            raise BenchError(
                f"{target.name}: GET {target.path} answered {status}, not {expected}{hint} "
                f"{headers.get('location', '')}\n{body[:500]!r}"
            )
        text = body.decode()
        if target.path.startswith("/api/"):
            check_api_answer(target, text, seeded)
        elif target.path == seeded["thread_path"]:
            posts = text.count('<article class="post')
            if posts != seeded["thread_posts"]:
                raise BenchError(f"{target.name}: expected {seeded['thread_posts']} posts, {posts}")
            signed_in = "Post reply" in text
            if signed_in != bool(target.cookie):
                raise BenchError(f"{target.name}: signed-in state is not what was asked for")
        elif target.path == seeded["board_path"]:
            rows = text.count('<tr class="thread-row')
            if rows != 25:
                raise BenchError(f"{target.name}: expected 25 threads on page 1, saw {rows}")
        elif len(body) != 20480:
            raise BenchError(f"{target.name}: expected 20,480 bytes, got {len(body)}")
        _, zipped_headers, zipped = get(
            endpoint, target.path, target.cookie, gzip_ok=True, extra=target.headers
        )
        target.sizes = {
            "bytes": len(body),
            "gzip_bytes": len(zipped),
            "encoding": zipped_headers.get("content-encoding", "identity"),
        }
        log(
            f"ok   {status} {len(body):>6} bytes ({len(zipped)} {target.sizes['encoding']})  "
            f"{target.name} [{endpoint.label}]"
        )


def check_api_answer(target: Target, text: str, seeded: dict) -> None:
    """The API answers what the target says it measures: a full page of the board's
    threads (the second one after the cursor), every post of the thread, or no body."""
    paths = seeded["api_paths"]
    if target.conditional:
        if text:
            raise BenchError(f"{target.name}: a 304 with a body of {len(text)} characters")
        return
    page = json.loads(text)
    if target.path in (paths["api_board"], paths["api_board_cursor"]):
        after_cursor = target.path == paths["api_board_cursor"]
        if len(page["results"]) != 25 or not page["next"] or bool(page["previous"]) != after_cursor:
            raise BenchError(
                f"{target.name}: expected a page of 25 threads with next"
                f"{' and previous' if after_cursor else ''}, saw {len(page['results'])}"
            )
    elif (
        target.path == paths["api_thread_posts"] and len(page["results"]) != seeded["thread_posts"]
    ):
        raise BenchError(
            f"{target.name}: expected {seeded['thread_posts']} posts, saw {len(page['results'])}"
        )


def wrk_command(endpoint: Endpoint, target: Target, duration: int) -> list[str]:
    cmd = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{duration}s",
        "--latency",
        "--timeout", "10s",
        "-H", f"{ACCEPT_ENCODING[0]}: {ACCEPT_ENCODING[1]}",
    ]  # fmt: skip
    for name, value in endpoint.headers.items():
        cmd += ["-H", f"{name}: {value}"]
    if target.cookie:
        cmd += ["-H", f"Cookie: {target.cookie}"]
    for name, value in target.headers.items():
        cmd += ["-H", f"{name}: {value}"]
    return [*cmd, endpoint.url(target.path)]


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS_MS[unit]


def parse_wrk(output: str) -> dict:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in ", output)
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if not rps or not total or "50" not in latency or "99" not in latency:
        raise BenchError(f"could not read wrk's output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*timeout (\d+))$", output, re.MULTILINE)
    return {
        "rps": float(rps.group(1)),
        "requests": int(total.group(1)),
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "timeouts": int(socket_errors.group(2)) if socket_errors else 0,
    }


def wrk_errors(result: dict) -> int:
    """Failed requests in one wrk run: non-2xx/3xx answers and socket errors of any kind."""
    sockets = sum(int(n) for n in re.findall(r"\d+", result.get("socket_errors", "")))
    return result.get("non_2xx", 0) + sockets


def page_figures(
    targets: list[Target],
    queries: dict[str, list[str]],
    queries_cold: dict[str, list[str]] | None = None,
) -> dict:
    """The contract's figures for one way of reaching the server (direct or via nginx).
    ``queries`` counts a request as the load makes it (warm: the page's stored parts
    already there); ``queries_cold`` the first request, before anything was stored."""
    by_name = {t.name: t for t in targets}
    figures: dict = {
        "ceiling": {
            "rps": by_name["ceiling"].result["rps"],
            "rps_again": by_name["ceiling (again)"].result["rps"],
        }
    }
    measured_api = {key: name for key, name in API_PAGES.items() if name in by_name}
    for key, name in (JSON_PAGES | measured_api).items():
        target = by_name[name]
        figures[key] = {
            "rps": float(target.result["rps"]),
            "p50_ms": float(target.result["p50_ms"]),
            "p99_ms": float(target.result["p99_ms"]),
            "queries": len(queries.get(name, [])),
            **(
                {"queries_cold": len(queries_cold.get(name, []))}
                if queries_cold is not None
                else {}
            ),
            "percent_of_ceiling": 100 * target.result["rps"] / by_name["ceiling"].result["rps"],
            **target.sizes,
        }
    figures["errors"] = sum(wrk_errors(t.result) for t in targets)
    return figures


def json_summary(
    runs: dict[str, list[Target]],
    queries: dict[str, list[str]],
    *,
    queries_cold: dict[str, list[str]] | None = None,
    server_errors: int = 0,
    started: dt.datetime | None = None,
) -> dict:
    """latest.json: ``{"ceiling": {"rps"}, "thread_anon" | "thread_signed_in" | "board_anon":
    {"rps", "p50_ms", "p99_ms", "queries"}, "errors"}`` for the direct run (more keys are
    added, never renamed: ``queries_cold`` beside ``queries``), and the same shape under
    ``via_nginx`` when nginx was measured. ``errors`` counts failed requests of every run
    plus server log errors."""
    summary = page_figures(runs["direct"], queries, queries_cold)
    if "via nginx" in runs:
        summary["via_nginx"] = page_figures(runs["via nginx"], queries, queries_cold)
        summary["errors"] += summary["via_nginx"]["errors"]
    summary["errors"] += server_errors
    summary["duration_s"] = DURATION
    summary["connections"] = CONNECTIONS
    summary["proxy"] = PROXY or None
    if started is not None:
        summary["started"] = started.isoformat(timespec="seconds")
    return summary


def write_latest_json(summary: dict, path: Path = LATEST_JSON) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2, sort_keys=False) + "\n")
    return path


def machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    pg = ["-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-tAc", "SHOW server_version", DB_NAME]
    try:
        import redis

        redis_version = redis.Redis.from_url(REDIS_URL).info("server")["redis_version"]
    except Exception as exc:  # a missing version must not sink the run
        redis_version = f"unknown ({exc.__class__.__name__})"
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    git = ["git", "-C", str(ROOT)]
    commit = run([*git, "rev-parse", "--short", "HEAD"]).strip()
    dirty = bool(run([*git, "status", "--porcelain", "--untracked-files=no"]).strip())
    return {
        "CPU": f"{os.cpu_count()} × {cpu}",
        "Memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "Django": version("django"),
        "uvicorn": f"{version('uvicorn')} (uvloop {version('uvloop')}, httptools "
        f"{version('httptools')})",
        "psycopg": version("psycopg"),
        "PostgreSQL": run(["psql", *pg]).strip(),
        "Redis": redis_version,
        "wrk": (wrk_version.stdout + wrk_version.stderr).split("\n")[0].strip(),
        "Commit": commit + (" (with uncommitted changes)" if dirty else ""),
    }


def results_table(
    targets: list[Target],
    queries: dict[str, list[str]],
    queries_cold: dict[str, list[str]] | None = None,
) -> str:
    ceiling = targets[0].result["rps"]
    cold = queries_cold or {}
    lines = [
        "| Page | Requests/s | p50 | p99 | % of ceiling | CPU per request: server "
        "| CPU per request: PostgreSQL | SQL queries (cold) | DB connections (peak) "
        "| Non-2xx, timeouts | Bytes sent (gzip) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for target in targets:
        r = target.result
        lines.append(
            f"| {target.name} (`{target.path}`) | {r['rps']:,.0f} | {r['p50_ms']:.1f} ms "
            f"| {r['p99_ms']:.1f} ms | {100 * r['rps'] / ceiling:.0f}% "
            f"| {r['server_cpu_ms']:.1f} ms | {r['postgres_cpu_ms']:.1f} ms "
            f"| {len(queries.get(target.name, []))}"
            + (f" ({len(cold[target.name])})" if target.name in cold else "")
            + f" | {r['db_connections']} | {r['non_2xx']}, {r['timeouts']} "
            f"| {target.sizes.get('bytes', 0):,} ({target.sizes.get('gzip_bytes', 0):,}) |"
        )
    return "\n".join(lines)


def cpu_table(targets: list[Target]) -> str:
    lines = [
        "| Page | Server (uvicorn) | PostgreSQL | wrk | Everything else (Redis, other work) |",
        "|---|---:|---:|---:|---:|",
    ]
    for target in targets:
        r = target.result
        lines.append(
            f"| {target.name} | {r['server_cores']:.2f} | {r['postgres_cores']:.2f} "
            f"| {r['wrk_cores']:.2f} "
            f"| {r['other_cores']:.2f} |"
        )
    return "\n".join(lines)


def write_results(
    *,
    runs: dict[str, list[Target]],
    seeded: dict,
    facts: dict,
    command: str,
    started: dt.datetime,
) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stem = started.strftime("%Y-%m-%d")
    path = RESULTS_DIR / f"{stem}.md"
    counter = 2
    while path.exists():
        path = RESULTS_DIR / f"{stem}-{counter}.md"
        counter += 1
    sections = [
        f"# Benchmark run {started:%Y-%m-%d %H:%M} UTC",
        "Produced by `make bench` (bench/run.py); see docs/performance.md for how to read it.",
        *(
            f"## Results{'' if label == 'direct' else ' ' + label}\n\n"
            + results_table(targets, seeded["queries"], seeded.get("queries_cold"))
            for label, targets in runs.items()
        ),
        f"wrk, PostgreSQL, Redis and the server share the machine's {os.cpu_count()} cores "
        "(who used how much is in the second table), so these figures are lower than a server "
        "with the machine to itself would reach. The ceiling is measured first and again "
        "last; the gap between the two is the run's noise. SQL queries were counted "
        "in-process with the test client on the same database: a request as the load makes "
        "it, with what the page cache keeps already stored, and in brackets the first, cold "
        "request before it (for the signed-in reader, a first visit that marks the thread "
        "read). DB "
        "connections is the most the server held open to the bench database while the page "
        f"was loaded. Load average (1 min) before the run: {facts['load_before']}, after: "
        f"{facts['load_after']}. Bytes sent: the page's size plain and as sent to a client "
        "that accepts gzip (every wrk request here does).",
        *(
            f"CPU used while each page was loaded ({label}), in cores (the machine has "
            f"{os.cpu_count()}; nginx counts under everything else):\n\n" + cpu_table(targets)
            for label, targets in runs.items()
        ),
        "## SQL per page\n\n"
        + "\n\n".join(
            f"{name}:\n\n" + "\n".join(f"1. `{sql[:240]}`" for sql in statements)
            for name, statements in [
                *seeded["queries"].items(),
                *((f"{n} (cold)", q) for n, q in seeded.get("queries_cold", {}).items()),
            ]
        ),
        "## Machine\n\n"
        + "\n".join(f"- {k}: {v}" for k, v in facts.items() if not k.startswith("load_")),
        "## Setup\n\n"
        f"- Data: Help board with {seeded['board_threads']:,} threads; the measured thread has "
        f"{seeded['thread_posts']} posts (one page).\n"
        f"- Server: `{command}` with DEBUG=false, DB_CONN_MAX_AGE={DB_CONN_MAX_AGE}, "
        f"DB_POOL_SIZE={DB_POOL_SIZE}, Redis cache "
        f"({REDIS_URL}), DJANGO_SETTINGS_MODULE=bench.settings.\n"
        f"- Load: wrk, {WRK_THREADS} threads, {CONNECTIONS} connections, {DURATION} s per page "
        f"after a {WARMUP} s warm-up, `--timeout 10s`, headers `{ACCEPT_ENCODING[0]}: "
        f"{ACCEPT_ENCODING[1]}` and, straight to uvicorn, `X-Forwarded-Proto: https`; the "
        "signed-in page also sends the session cookie of a member who may reply. After each "
        f"page the run waits {DRAIN} s so the server finishes what wrk left in flight; that "
        "CPU is counted with the page.\n"
        "- API: the same member's personal access token (read scope) in `Authorization: "
        "Bearer …`; the board's first page of 25 threads, its second page by the first's "
        "`next` cursor, the long thread's posts, and the thread itself with `If-None-Match` "
        "of its ETag (a 304, counted as a success), taken from the server before the load. "
        f"API_TOKEN_RATE={API_TOKEN_RATE}: the budget is counted on every request but never "
        "runs out.\n"
        + (
            "- Through nginx: Debian's nginx with config/nginx/porchlight.conf (TLS, HTTP/1.1 "
            "keepalive to the one uvicorn port, 1 worker process), the same uvicorn behind it; "
            "every page measured straight to uvicorn first, then through nginx, in this run."
            if "via nginx" in runs
            else "- Straight to uvicorn (BENCH_PROXY=nginx measures through nginx too)."
        ),
        "## Raw wrk output",
        *(
            f"### {t.name} ({label})\n\n```\n$ {t.result['command']}\n{t.raw.rstrip()}\n```"
            for label, targets in runs.items()
            for t in targets
        ),
    ]
    path.write_text("\n\n".join(sections) + "\n")
    return path


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)  # its own session: uvicorn and its workers
        server.wait(timeout=5)


def targets_for(seeded: dict) -> list[Target]:
    cookie = f"sessionid={seeded['session_cookie']}"
    api = seeded["api_paths"]
    token = {"Authorization": f"Bearer {seeded['api_token']}"}
    return [
        Target("ceiling", "/bench/ceiling/"),
        Target("board (anonymous)", seeded["board_path"]),
        Target("thread (anonymous)", seeded["thread_path"]),
        Target("thread (signed in)", seeded["thread_path"], cookie),
        Target(API_PAGES["api_board_threads"], api["api_board"], headers=token),
        Target(API_PAGES["api_board_threads_cursor"], api["api_board_cursor"], headers=token),
        Target(API_PAGES["api_thread_posts"], api["api_thread_posts"], headers=token),
        Target(
            API_PAGES["api_thread_not_modified"],
            api["api_thread"],
            headers=token,
            conditional=True,
        ),
        Target("ceiling (again)", "/bench/ceiling/"),
    ]


def start_nginx(workdir: Path, upstream_port: int, static_root: Path) -> tuple:
    """nginx with config/nginx/porchlight.conf in front of uvicorn, on its own prefix."""
    if not Path(nginx.NGINX).is_file():
        raise BenchError(f"BENCH_PROXY=nginx but {nginx.NGINX} is missing: apt-get install nginx")
    prefix = workdir / "nginx"
    prefix.mkdir()
    cert, key = nginx.self_signed_certificate(prefix)
    port = free_port()
    site = nginx.render(
        upstreams=[f"{HOST}:{upstream_port}"],
        http_listen=f"{HOST}:{free_port()}",
        https_listen=f"{HOST}:{port}",
        server_name=HOST,
        certificate=cert,
        certificate_key=key,
        static_root=static_root,
    )
    conf = nginx.standalone_conf(prefix, site)
    run([nginx.NGINX, "-t", "-p", str(prefix), "-c", str(conf)])
    log_path = workdir / "nginx.log"
    with log_path.open("w") as out:
        process = subprocess.Popen(
            nginx.command(prefix, conf), stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    return process, Endpoint("https", port, "via nginx"), log_path


def recorded_command(cmd: list[str], seeded: dict) -> str:
    """The wrk command as the report shows it: the session and the token left out."""
    return (
        shlex.join(cmd).replace(seeded["session_cookie"], "…").replace(seeded["api_token"], "plt_…")
    )


def measure(
    endpoint: Endpoint, targets: list[Target], seeded: dict, meter: "CpuMeter", sampler
) -> None:
    check_pages(endpoint, targets, seeded)
    for target in targets[:-1]:
        log(f"warm-up {WARMUP} s: {target.name} [{endpoint.label}]")
        run(wrk_command(endpoint, target, WARMUP), timeout=WARMUP + 30)
    time.sleep(DRAIN)
    for target in targets:
        log(f"measuring {DURATION} s: {target.name} [{endpoint.label}]")
        sampler.take_peak()
        cmd = wrk_command(endpoint, target, DURATION)
        before = meter.snapshot()
        target.raw = run(cmd, timeout=DURATION + 30)
        # Let the server finish what wrk left in flight, so its CPU is counted here and
        # not under the next page.
        time.sleep(DRAIN)
        target.result = parse_wrk(target.raw)
        target.result |= meter.usage(before, meter.snapshot(), target.result["requests"])
        target.result["db_connections"] = sampler.take_peak()
        target.result["command"] = recorded_command(cmd, seeded)
    check_pages(endpoint, targets, seeded)  # still the same pages after the load


def main() -> int:
    if shutil.which("wrk") is None:
        raise BenchError("wrk is not installed: apt-get install -y wrk")
    if PROXY not in ("", "nginx"):
        raise BenchError(f"BENCH_PROXY={PROXY!r}: the only proxy it knows is nginx")
    # A SIGTERM to this script still runs the finally below, so the server never outlives it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()[0]
    if load_before > 1:
        log(f"warning: load average is {load_before:.1f}; something else is using the CPU")
    port = int(os.environ.get("BENCH_PORT") or free_port())
    workdir = Path(tempfile.mkdtemp(prefix="porchlight-bench-"))
    static_root = workdir / "static"
    env = production_env(port=port, static_root=static_root)
    manage = [sys.executable, "manage.py"]

    log(f"recreating database {DB_NAME}, migrating, collecting static files")
    recreate_database()
    run([*manage, "migrate", "--noinput", "-v0"], env=env)
    run([*manage, "collectstatic", "--noinput", "-v0"], env=env)
    log("seeding through the services")
    # Seeding takes a minute on an idle machine; a busy one needs longer.
    seeding = run([sys.executable, "-m", "bench.seed"], env=env, timeout=900)
    seeded = json.loads(seeding.splitlines()[-1])
    direct = Endpoint("http", port)
    runs = {"direct": targets_for(seeded)}

    command = " ".join(uvicorn_command(port)).replace(str(Path(sys.executable).parent) + "/", "")
    log(f"starting: {command}")
    server_log = workdir / "uvicorn.log"
    with server_log.open("w") as out:
        server = subprocess.Popen(
            uvicorn_command(port),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    proxy = None
    sampler = ConnectionSampler()
    meter = CpuMeter(server.pid)
    try:
        wait_until_serving(server, direct, server_log)
        if PROXY == "nginx":
            proxy, proxied, proxy_log = start_nginx(workdir, port, static_root)
            wait_until_serving(proxy, proxied, proxy_log)
            runs["via nginx"] = targets_for(seeded)
        sampler.start()
        measure(direct, runs["direct"], seeded, meter, sampler)
        if proxy is not None:
            measure(proxied, runs["via nginx"], seeded, meter, sampler)
    finally:
        sampler.stopped.set()
        if proxy is not None:
            stop(proxy)
        stop(server)
    server_errors = [
        line
        for line in server_log.read_text().splitlines()
        if " 500 " in line or "ERROR" in line or "Traceback" in line
    ]

    facts = machine() | {
        "load_before": f"{load_before:.2f}",
        "load_after": f"{os.getloadavg()[0]:.2f}",
    }
    if proxy is not None:
        # nginx -v writes its version to stderr.
        version_line = subprocess.run([nginx.NGINX, "-v"], capture_output=True, text=True)
        facts["nginx"] = version_line.stderr.strip()
    path = write_results(runs=runs, seeded=seeded, facts=facts, command=command, started=started)
    summary = json_summary(
        runs,
        seeded["queries"],
        queries_cold=seeded.get("queries_cold"),
        server_errors=len(server_errors),
        started=started,
    )
    summary["report"] = path.name
    write_latest_json(summary)
    for label, targets in runs.items():
        print(f"\n{label}:\n")
        print(results_table(targets, seeded["queries"], seeded.get("queries_cold")))
    print()
    log(f"written to {path} and {LATEST_JSON}")
    failures = [
        f"{t.name} [{label}]"
        for label, targets in runs.items()
        for t in targets
        if wrk_errors(t.result)
    ]
    if failures or server_errors:
        log(f"errors during the run in {failures}; the server log is kept: {server_log}")
        for line in server_errors[:5]:
            log(f"  {line}")
        return 1
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"[bench] FAILED: {exc}", file=sys.stderr)
        sys.exit(1)
