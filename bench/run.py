"""The first benchmark, in one command: ``make bench`` (or ``.venv/bin/python bench/run.py``).

It recreates the ``porchlight_bench`` PostgreSQL database, migrates, collects static files,
seeds the Help board through the services (bench/seed.py), serves the site the way
README's production section does (uvicorn, 2 workers, DEBUG=false, Redis cache) with
bench.settings (the product's settings plus a ceiling view), checks every page answers
200, warms up, then loads each page with wrk for a fixed time and writes the figures to
bench/results/<date>.md. The server is stopped at the end, also on error or Ctrl-C.

Environment knobs (all optional): BENCH_DURATION (seconds per page, default 15),
BENCH_CONNECTIONS (default 32), BENCH_PORT (default: a free port), BENCH_DATABASE_NAME,
BENCH_PG (host:port, default 127.0.0.1:5432), BENCH_REDIS_URL (default
redis://127.0.0.1:6379/9), BENCH_DB_CONN_MAX_AGE (default 0, see below).

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
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"

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


class BenchError(Exception):
    pass


@dataclass
class Target:
    name: str
    path: str
    cookie: str = ""
    result: dict = field(default_factory=dict)
    raw: str = ""


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
    ]  # fmt: skip


def get(port: int, path: str, cookie: str = "") -> tuple[int, dict[str, str], bytes]:
    """One request as the proxy would forward it; redirects are reported, not followed."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    headers = {PROXY_HEADER[0]: PROXY_HEADER[1]}
    if cookie:
        headers["Cookie"] = cookie
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def wait_until_serving(server: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"uvicorn exited with {server.returncode}:\n{log_path.read_text()}")
        try:
            get(port, "/bench/ceiling/")
        except OSError:
            time.sleep(0.2)
        else:
            return
    raise BenchError(f"uvicorn did not answer within 30 s:\n{log_path.read_text()}")


def check_pages(port: int, targets: list[Target], seeded: dict) -> None:
    """Every measured URL must answer 200 with the page we think we are measuring."""
    for target in targets:
        status, headers, body = get(port, target.path, target.cookie)
        if status != 200:
            hint = {
                301: " (a redirect to https: is the X-Forwarded-Proto header missing?)",
                302: " (a redirect: is the session cookie valid?)",
                400: " (is the host in ALLOWED_HOSTS?)",
            }.get(status, "")
            raise BenchError(
                f"{target.name}: GET {target.path} answered {status}{hint} "
                f"{headers.get('location', '')}\n{body[:500]!r}"
            )
        text = body.decode()
        if target.path == seeded["thread_path"]:
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
        log(f"ok   200 {len(body):>6} bytes  {target.name}")


def wrk_command(port: int, target: Target, duration: int) -> list[str]:
    cmd = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{duration}s",
        "--latency",
        "--timeout", "10s",
        "-H", f"{PROXY_HEADER[0]}: {PROXY_HEADER[1]}",
    ]  # fmt: skip
    if target.cookie:
        cmd += ["-H", f"Cookie: {target.cookie}"]
    return [*cmd, f"http://{HOST}:{port}{target.path}"]


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


def results_table(targets: list[Target], queries: dict[str, list[str]]) -> str:
    ceiling = targets[0].result["rps"]
    lines = [
        "| Page | Requests/s | p50 | p99 | % of ceiling | CPU per request: server "
        "| CPU per request: PostgreSQL | SQL queries | DB connections (peak) "
        "| Non-2xx, timeouts |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for target in targets:
        r = target.result
        lines.append(
            f"| {target.name} (`{target.path}`) | {r['rps']:,.0f} | {r['p50_ms']:.1f} ms "
            f"| {r['p99_ms']:.1f} ms | {100 * r['rps'] / ceiling:.0f}% "
            f"| {r['server_cpu_ms']:.1f} ms | {r['postgres_cpu_ms']:.1f} ms "
            f"| {len(queries.get(target.name, []))} "
            f"| {r['db_connections']} | {r['non_2xx']}, {r['timeouts']} |"
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
    *, targets: list[Target], seeded: dict, facts: dict, command: str, started: dt.datetime
) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    stem = started.strftime("%Y-%m-%d")
    path = RESULTS_DIR / f"{stem}.md"
    counter = 2
    while path.exists():
        path = RESULTS_DIR / f"{stem}-{counter}.md"
        counter += 1
    sections = [
        f"# Benchmark run {started:%Y-%m-%d %H:%M} UTC",
        "Produced by `make bench` (bench/run.py); see docs/performance.md for how to read it.",
        "## Results\n\n" + results_table(targets, seeded["queries"]),
        f"wrk, PostgreSQL, Redis and the server share the machine's {os.cpu_count()} cores "
        "(who used how much is in the second table), so these figures are lower than a server "
        "with the machine to itself would reach. The ceiling is measured first and again "
        "last; the gap between the two is the run's noise. SQL queries were counted "
        "in-process with the test client on the same database, one request each. DB "
        "connections is the most the server held open to the bench database while the page "
        f"was loaded. Load average (1 min) before the run: {facts['load_before']}, after: "
        f"{facts['load_after']}.",
        f"CPU used while each page was loaded, in cores (the machine has {os.cpu_count()}):\n\n"
        + cpu_table(targets),
        "## SQL per page\n\n"
        + "\n\n".join(
            f"{name}:\n\n" + "\n".join(f"1. `{sql[:240]}`" for sql in statements)
            for name, statements in seeded["queries"].items()
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
        f"after a {WARMUP} s warm-up, `--timeout 10s`, header `X-Forwarded-Proto: https`; the "
        "signed-in page also sends the session cookie of a member who may reply. After each "
        f"page the run waits {DRAIN} s so the server finishes what wrk left in flight; that "
        "CPU is counted with the page.",
        "## Raw wrk output",
        *(f"### {t.name}\n\n```\n$ {t.result['command']}\n{t.raw.rstrip()}\n```" for t in targets),
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


def main() -> int:
    if shutil.which("wrk") is None:
        raise BenchError("wrk is not installed: apt-get install -y wrk")
    # A SIGTERM to this script still runs the finally below, so the server never outlives it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()[0]
    if load_before > 1:
        log(f"warning: load average is {load_before:.1f}; something else is using the CPU")
    port = int(os.environ.get("BENCH_PORT") or free_port())
    workdir = Path(tempfile.mkdtemp(prefix="porchlight-bench-"))
    env = production_env(port=port, static_root=workdir / "static")
    manage = [sys.executable, "manage.py"]

    log(f"recreating database {DB_NAME}, migrating, collecting static files")
    recreate_database()
    run([*manage, "migrate", "--noinput", "-v0"], env=env)
    run([*manage, "collectstatic", "--noinput", "-v0"], env=env)
    log("seeding through the services")
    seeded = json.loads(run([sys.executable, "-m", "bench.seed"], env=env).splitlines()[-1])
    cookie = f"sessionid={seeded['session_cookie']}"
    targets = [
        Target("ceiling", "/bench/ceiling/"),
        Target("board (anonymous)", seeded["board_path"]),
        Target("thread (anonymous)", seeded["thread_path"]),
        Target("thread (signed in)", seeded["thread_path"], cookie),
        Target("ceiling (again)", "/bench/ceiling/"),
    ]

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
    sampler = ConnectionSampler()
    meter = CpuMeter(server.pid)
    try:
        wait_until_serving(server, port, server_log)
        check_pages(port, targets, seeded)
        for target in targets[:-1]:
            log(f"warm-up {WARMUP} s: {target.name}")
            run(wrk_command(port, target, WARMUP), timeout=WARMUP + 30)
        time.sleep(DRAIN)
        sampler.start()
        for target in targets:
            log(f"measuring {DURATION} s: {target.name}")
            sampler.take_peak()
            cmd = wrk_command(port, target, DURATION)
            before = meter.snapshot()
            target.raw = run(cmd, timeout=DURATION + 30)
            # Let the server finish what wrk left in flight, so its CPU is counted here and
            # not under the next page.
            time.sleep(DRAIN)
            target.result = parse_wrk(target.raw)
            target.result |= meter.usage(before, meter.snapshot(), target.result["requests"])
            target.result["db_connections"] = sampler.take_peak()
            target.result["command"] = shlex.join(cmd).replace(seeded["session_cookie"], "…")
        check_pages(port, targets, seeded)  # still the same pages after the load
    finally:
        sampler.stopped.set()
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
    path = write_results(
        targets=targets, seeded=seeded, facts=facts, command=command, started=started
    )
    print()
    print(results_table(targets, seeded["queries"]))
    print()
    log(f"written to {path.relative_to(ROOT)}")
    failures = [t.name for t in targets if t.result["non_2xx"] or t.result["socket_errors"]]
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
