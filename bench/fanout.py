"""Live fan-out benchmark: ``make bench-fanout`` (= ``.venv/bin/python bench/fanout.py``).

1,000 WebSocket clients subscribe to one thread, spread evenly over 2 worker processes —
two uvicorn processes on two ports sharing PostgreSQL and Redis, the scale-out path of
docs/scale-out.md — and 20 replies are posted through the reply form, alternately on each
worker. For every reply, each client records when its ``post.created`` arrived; latency is
measured from just before the POST was sent, so it covers the request, the commit, the
Redis channel layer, both workers' fan-out and the client's receipt. Also recorded: the
clients' memory (RSS of this process, which holds all of them), each worker's memory (VmRSS
from /proc/<pid>/status and Pss from /proc/<pid>/smaps_rollup) before the clients connect,
once they are subscribed and after the replies, and the CPU the workers spent while
delivering. Memory per connection is a worker's growth from before the clients to all of
them subscribed, divided by the connections it holds.

Each reply's text is one of bench/seed.py's replies plus a line of its own (build, browser,
request ID): the member's posts are screened for spam like anyone's, and the same text
posted again and again would be held for review and reach no one.

A run needs a file descriptor per client here and per connection in each worker; the soft
limit is raised up to the hard limit in-process (the workers inherit it), and the run stops
with a message if the hard limit is too low.

Like bench/run.py (whose helpers it uses) it runs the production stack: DEBUG=false,
PostgreSQL (its own database, ``porchlight_fanout``), Redis for the cache and the channel
layer, psycopg's pool (DB_POOL_SIZE=10), and requests carry ``X-Forwarded-Proto: https`` as
from the TLS proxy. The member who posts has a raised write budget
(FORUM_WRITE_RATE=1000/m), or the tenth reply would be refused.

Redis is a private ``redis-server`` (same binary as the shared one, no persistence) on a
free port, started and stopped by the run: on a shared machine every database index of
the shared Redis may be flushed at any moment by someone's test run, which silently drops
the channel layer's group memberships. Set FANOUT_REDIS_URL to use an existing Redis
instead (the run flushes that database).

Everything is bounded: connecting 60 s, each reply 15 s; the workers are stopped at the
end, also on an error or Ctrl-C. Results go to bench/results/<date>-fanout.md, and the
figures also to bench/results/fanout.json (the latest run).

Environment knobs: FANOUT_CLIENTS (1000), FANOUT_REPLIES (20), FANOUT_PAUSE (seconds between
replies once every client has the previous one, 0.5), FANOUT_DEFLATE=0 (clients without
compression), FANOUT_PROFILE=1 (the workers run under cProfile; the profiles are kept and
their top entries printed), FANOUT_REDIS_URL (see above), BENCH_DATABASE_NAME
(``porchlight_fanout``) and BENCH_PG as for bench/run.py.
"""

import os
import sys
from pathlib import Path

# The fan-out run's own database unless told otherwise; bench.run reads it when imported.
os.environ.setdefault("BENCH_DATABASE_NAME", "porchlight_fanout")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncio  # noqa: E402
import contextlib  # noqa: E402
import datetime as dt  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from http.cookies import SimpleCookie  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

from bench import run as base  # noqa: E402
from config.serve_workers import (  # noqa: E402
    start_worker,
    stop_workers,
    wait_until_answering,
    worker_command,
)

CLIENTS = int(os.environ.get("FANOUT_CLIENTS", "1000"))
REPLIES = int(os.environ.get("FANOUT_REPLIES", "20"))
PAUSE = float(os.environ.get("FANOUT_PAUSE", "0.5"))
# Browsers offer permessage-deflate and uvicorn accepts it; FANOUT_DEFLATE=0 shows its cost.
DEFLATE = os.environ.get("FANOUT_DEFLATE", "1") != "0"
PROFILE = os.environ.get("FANOUT_PROFILE", "0") not in ("", "0")
WORKERS = 2
CONNECT_CONCURRENCY = 50
# Files besides the sockets: the interpreter's own, the database pool, Redis, logs.
FILE_MARGIN = 256
CONNECT_DEADLINE = 60
REPLY_DEADLINE = 15
HOST = base.HOST
POSTER_USERNAME = "fanout-poster"


def log(message: str) -> None:
    print(f"[fanout] {message}", flush=True)


# --- Redis ------------------------------------------------------------------------------


def start_private_redis(workdir: Path) -> tuple[str, "subprocess.Popen | None"]:
    """FANOUT_REDIS_URL if set, else a redis-server of our own on a free port."""
    if os.environ.get("FANOUT_REDIS_URL"):
        return os.environ["FANOUT_REDIS_URL"], None
    binary = shutil.which("redis-server")
    if binary is None:
        raise base.BenchError("redis-server is not installed; set FANOUT_REDIS_URL instead")
    port = base.free_port()
    server = subprocess.Popen(
        [binary, "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=(workdir / "redis.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    import redis

    url = f"redis://{HOST}:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
            return url, server
        except redis.exceptions.ConnectionError as exc:
            if server.poll() is not None or time.monotonic() > deadline:
                log_path = workdir / "redis.log"
                raise base.BenchError(f"redis-server did not start: {log_path}") from exc
            time.sleep(0.1)


# --- Seeding (runs in a subprocess with the bench environment) --------------------------


def seed() -> dict:
    """One member who posts, one thread with its opening post, the member's session."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from accounts.services import user_create
    from bench.seed import _body
    from forum.models import Board
    from forum.services import thread_create

    cache.clear()
    poster = user_create(
        username=POSTER_USERNAME,
        email=f"{POSTER_USERNAME}@example.com",
        password=None,
        display_name="Fan-out Poster",
    )
    thread = thread_create(
        board=Board.objects.get(slug="help"),
        author=poster,
        title="Live fan-out: five hundred readers on one thread",
        body=_body(random.Random(500)),
    )
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST=HOST)
    client.force_login(poster)
    return {"thread_id": thread.pk, "session_cookie": client.cookies["sessionid"].value}


# --- Measuring ----------------------------------------------------------------------------


def rss_kib(pid: int | str = "self") -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", text).group(1))


def pss_kib(pid: int) -> int | None:
    """Proportional set size: shared pages (the interpreter, libraries) split between the
    processes sharing them. None where the kernel has no smaps_rollup."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    found = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
    return int(found.group(1)) if found else None


def worker_memory(workers: dict, memory: dict, label: str) -> None:
    for port, process in workers.items():
        memory["workers"].setdefault(port, {})[label] = rss_kib(process.pid)
        memory["workers_pss"].setdefault(port, {})[label] = pss_kib(process.pid)


def raise_file_limit(needed: int) -> dict:
    """Raise this process's soft RLIMIT_NOFILE towards ``needed`` (never past the hard
    limit); the workers, started from here, inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    unlimited = hard == resource.RLIM_INFINITY
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if unlimited else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    new_soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if new_soft != resource.RLIM_INFINITY and new_soft < needed:
        raise base.BenchError(
            f"{CLIENTS} clients need about {needed} open files, but this machine allows at "
            f"most {hard} per process (ulimit -Hn). Raise the hard limit, or run fewer clients "
            f"with FANOUT_CLIENTS={max(new_soft - FILE_MARGIN, 0)}."
        )
    return {"soft_before": soft, "soft": new_soft, "hard": hard, "needed": needed}


BROWSERS = ("Firefox", "Chrome", "Safari", "Edge")
REGIONS = ("eu-west", "us-east", "ap-south", "sa-east")


def reply_body(rng: random.Random, position: int) -> str:
    """A reply from bench/seed.py with a line of its own, so that no two replies read the
    same to the spam screening's repeated-text check."""
    from bench.seed import _reply

    detail = (
        f"Checked again on build {rng.randrange(1000, 9999)}.{position} with "
        f"{rng.choice(BROWSERS)} {rng.randrange(90, 140)} in the {rng.choice(REGIONS)} "
        f"region; request ID {rng.getrandbits(32):08x}, workspace {rng.randrange(10000, 99999)}."
    )
    return _reply(rng, staff=position % 5 == 0) + "\n\n" + detail


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine so far, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def percentile(values: list[float], pct: float) -> float:
    """Nearest rank: the smallest value with at least pct % of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(math.ceil(pct / 100 * len(ordered)) - 1, 0)]


def http_request(port, method, path, *, cookies, body=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {
        base.PROXY_HEADER[0]: base.PROXY_HEADER[1],
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
    }
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"https://{HOST}:{port}{path.removesuffix('reply/')}"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read().decode()
    finally:
        conn.close()


class Reply:
    def __init__(self, port: int, session: str, thread_id: int):
        self.port, self.session, self.thread_id = port, session, thread_id

    def prepare(self) -> None:
        """The reply form as the member sees it: a fresh submission key and CSRF token."""
        path = f"/t/{self.thread_id}/"
        status, headers, page = http_request(self.port, "GET", path, cookies=self.cookies())
        if status != 200:
            raise base.BenchError(f"GET {path} on :{self.port} answered {status}")
        jar = SimpleCookie()
        for name, value in headers:
            if name.lower() == "set-cookie":
                jar.load(value)
        self.csrf_cookie = jar["csrftoken"].value
        self.form = {
            name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1)
            for name in ("csrfmiddlewaretoken", "submission_key")
        }

    def cookies(self) -> dict:
        cookies = {"sessionid": self.session}
        if getattr(self, "csrf_cookie", None):
            cookies["csrftoken"] = self.csrf_cookie
        return cookies

    def post(self, body: str) -> None:
        path = f"/t/{self.thread_id}/reply/"
        data = urlencode({**self.form, "body": body})
        status, _, text = http_request(self.port, "POST", path, cookies=self.cookies(), body=data)
        if status != 302:
            raise base.BenchError(f"POST {path} on :{self.port} answered {status}: {text[:300]}")


class Fanout:
    """The 500 clients, all in this process on one event loop."""

    def __init__(self, ports: list[int], thread_id: int):
        self.ports, self.thread_id = ports, thread_id
        self.sockets: list = []
        self.arrivals: dict[int, dict[int, float]] = {}  # position -> client -> time
        self.waiting: dict[int, asyncio.Event] = {}
        self.unexpected: list[str] = []

    async def connect_all(self) -> None:
        from websockets.asyncio.client import connect

        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

        async def one(index: int):
            port = self.ports[index % len(self.ports)]
            async with gate:
                ws = await connect(
                    f"ws://{HOST}:{port}/ws/live/",
                    origin=f"https://{HOST}:{port}",
                    proxy=None,
                    open_timeout=30,
                    max_size=2**20,
                    compression="deflate" if DEFLATE else None,
                )
                await ws.send(json.dumps({"action": "subscribe", "thread": self.thread_id}))
                answer = json.loads(await asyncio.wait_for(ws.recv(), 30))
                if answer != {"type": "subscribed", "thread": self.thread_id}:
                    raise base.BenchError(f"client {index}: {answer}")
                return ws

        self.sockets = await asyncio.wait_for(
            asyncio.gather(*(one(i) for i in range(CLIENTS))), CONNECT_DEADLINE
        )
        self.listeners = [
            asyncio.create_task(self.listen(i, ws)) for i, ws in enumerate(self.sockets)
        ]

    async def listen(self, index: int, ws) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for raw in ws:
                arrived = time.perf_counter()
                message = json.loads(raw)
                if message.get("type") != "post.created":
                    continue  # thread.changed and the like
                position = message["position"]
                got = self.arrivals.setdefault(position, {})
                got[index] = arrived
                if len(got) == CLIENTS and position in self.waiting:
                    self.waiting[position].set()
        except ConnectionClosed as exc:
            self.unexpected.append(f"client {index} closed: {exc}")

    async def expect(self, position: int) -> asyncio.Event:
        self.waiting[position] = asyncio.Event()
        if len(self.arrivals.get(position, {})) == CLIENTS:
            self.waiting[position].set()
        return self.waiting[position]

    async def close_all(self) -> None:
        for task in getattr(self, "listeners", []):
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        # Let the workers' consumers finish leaving their groups before the workers are
        # stopped; a SIGTERM in the middle of that holds uvicorn's shutdown for its full
        # graceful timeout.
        await asyncio.sleep(2)


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def measure(ports: list[int], seeded: dict, workers: dict, redis_pid: int | None) -> dict:
    thread_id = seeded["thread_id"]
    memory = {"client": {"before": rss_kib()}, "workers": {}, "workers_pss": {}}
    worker_memory(workers, memory, "before")

    log(f"connecting {CLIENTS} clients ({CLIENTS // len(ports)} per worker) and subscribing")
    fanout = Fanout(ports, thread_id)
    started = time.perf_counter()
    await fanout.connect_all()
    connect_seconds = time.perf_counter() - started
    await asyncio.sleep(1)
    memory["client"]["connected"] = rss_kib()
    worker_memory(workers, memory, "connected")

    rng = random.Random(20)
    position = 1  # the opening post

    async def post_reply(port: int) -> dict:
        nonlocal position
        position += 1
        reply = Reply(port, seeded["session_cookie"], thread_id)
        await asyncio.to_thread(reply.prepare)
        done = await fanout.expect(position)
        cpu_start = {port: cpu_seconds(p.pid) for port, p in workers.items()}
        cpu_start["clients"] = own_cpu_seconds()
        cpu_start["redis"] = cpu_seconds(redis_pid) if redis_pid else 0.0
        sent = time.perf_counter()
        await asyncio.to_thread(reply.post, reply_body(rng, position))
        answered = time.perf_counter()
        with contextlib.suppress(TimeoutError):  # reported as missing deliveries
            await asyncio.wait_for(done.wait(), REPLY_DEADLINE)
        got = fanout.arrivals.get(position, {})
        cpu = {port: cpu_seconds(p.pid) - cpu_start[port] for port, p in workers.items()}
        cpu["clients"] = own_cpu_seconds() - cpu_start["clients"]
        cpu["redis"] = (cpu_seconds(redis_pid) if redis_pid else 0.0) - cpu_start["redis"]
        await asyncio.sleep(PAUSE)
        return {
            "cpu": cpu,
            "port": port,
            "post_ms": 1000 * (answered - sent),
            "latencies_ms": [1000 * (t - sent) for t in got.values()],
            "missing": CLIENTS - len(got),
        }

    # One unmeasured reply through each worker first: the first POST and the first push of
    # a worker load code and templates that every later one finds ready.
    for port in ports:
        warm = await post_reply(port)
        log(f"warm-up reply via :{port}: {CLIENTS - warm['missing']}/{CLIENTS} clients")
    posts = []
    phase = {
        "machine": machine_jiffies(),
        "ours": own_cpu_seconds() + sum(cpu_seconds(p.pid) for p in workers.values()),
        "wall": time.perf_counter(),
        "load": os.getloadavg()[0],
    }
    try:
        for number in range(REPLIES):
            port = ports[number % len(ports)]
            posts.append(post := await post_reply(port))
            log(
                f"reply {number + 1:>2}/{REPLIES} via :{port}: POST {post['post_ms']:.0f} ms, "
                f"{CLIENTS - post['missing']}/{CLIENTS} clients, last after "
                f"{max(post['latencies_ms'], default=0):.0f} ms"
            )
    finally:
        busy, total = machine_jiffies()
        wall = time.perf_counter() - phase["wall"]
        ours = own_cpu_seconds() + sum(cpu_seconds(p.pid) for p in workers.values())
        share = (busy - phase["machine"][0]) / max(total - phase["machine"][1], 1)
        load = {
            "load_average_at_start": round(phase["load"], 2),
            "machine_busy_cores": round(share * os.cpu_count(), 2),
            "this_run_cores": round((ours - phase["ours"]) / max(wall, 1e-9), 2),
            "seconds": round(wall, 1),
        }
        memory["client"]["after"] = rss_kib()
        worker_memory(workers, memory, "after")
        await fanout.close_all()
    return {
        "posts": posts,
        "memory": memory,
        "connect_seconds": connect_seconds,
        "load": load,
        "held": {
            port: sum(1 for i in range(CLIENTS) if i % len(ports) == n)
            for n, port in enumerate(ports)
        },
        # From each POST until the last client had the reply, summed over the replies.
        "worker_cpu": {port: sum(post["cpu"][port] for post in posts) for port in workers},
        "other_cpu": {
            name: sum(post["cpu"][name] for post in posts) for name in ("clients", "redis")
        },
        "unexpected": fanout.unexpected,
    }


# --- Reporting ----------------------------------------------------------------------------


def summary(result: dict) -> dict:
    latencies = [ms for post in result["posts"] for ms in post["latencies_ms"]]
    firsts = [min(post["latencies_ms"]) for post in result["posts"] if post["latencies_ms"]]
    lasts = [max(post["latencies_ms"]) for post in result["posts"] if post["latencies_ms"]]
    post_ms = [post["post_ms"] for post in result["posts"]]
    return {
        "deliveries": len(latencies),
        "expected": CLIENTS * len(result["posts"]),
        "missing": sum(post["missing"] for post in result["posts"]),
        "p50": percentile(latencies, 50),
        "p90": percentile(latencies, 90),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "max": max(latencies),
        "first_p50": statistics.median(firsts),
        "last_p50": statistics.median(lasts),
        "last_max": max(lasts),
        "post_p50": statistics.median(post_ms),
    }


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def per_connection(memory: dict, held: dict) -> dict:
    """KiB a worker grew by from before the clients to all of them subscribed, per
    connection it holds."""
    return {
        port: (m["connected"] - m["before"]) / held[port]
        for port, m in memory.items()
        if held.get(port) and m.get("before") is not None and m.get("connected") is not None
    }


def tables(result: dict, s: dict) -> str:
    m = result["memory"]
    client = m["client"]
    held = result["held"]
    per_client = (client["connected"] - client["before"]) / CLIENTS
    rss_each = per_connection(m["workers"], held)
    pss_each = per_connection(m["workers_pss"], held)
    lines = [
        "| Clients | Workers | Replies | Delivered | p50 | p90 | p95 | p99 | max |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {CLIENTS} | {WORKERS} | {len(result['posts'])} | {s['deliveries']:,} of "
        f"{s['expected']:,} | {s['p50']:.0f} ms | {s['p90']:.0f} ms | {s['p95']:.0f} ms "
        f"| {s['p99']:.0f} ms | {s['max']:.0f} ms |",
        "",
        "Per reply (medians over the replies): the POST itself took "
        f"{s['post_p50']:.0f} ms; the first client had the reply after {s['first_p50']:.0f} ms, "
        f"the last after {s['last_p50']:.0f} ms (worst reply: {s['last_max']:.0f} ms). "
        f"Connecting and subscribing all {CLIENTS} clients took "
        f"{result['connect_seconds']:.1f} s.",
        "",
        f"Load: while the replies ran ({result['load']['seconds']:.0f} s) the machine's "
        f"{os.cpu_count()} cores were busy {result['load']['machine_busy_cores']:.2f} cores' "
        f"worth on average; this run's workers and clients used "
        f"{result['load']['this_run_cores']:.2f} of that, PostgreSQL, Redis and everything "
        "else on the machine the rest (1-minute load average at the start: "
        f"{result['load']['load_average_at_start']:.2f}).",
        "",
        "| Memory (RSS) | Before the clients | Clients subscribed | After the replies "
        "| Per connection |",
        "|---|---:|---:|---:|---:|",
        f"| Client process ({CLIENTS} clients) | {mib(client['before'])} "
        f"| {mib(client['connected'])} | {mib(client['after'])} | {per_client:.0f} KiB |",
    ]
    for number, (port, w) in enumerate(m["workers"].items(), start=1):
        lines.append(
            f"| Worker {number} (:{port}, {held[port]} connections) | {mib(w['before'])} "
            f"| {mib(w['connected'])} | {mib(w['after'])} | {rss_each[port]:.0f} KiB |"
        )
    if pss_each:
        lines += [
            "",
            "| Memory (Pss) | Before the clients | Clients subscribed "
            "| After the replies | Per connection |",
            "|---|---:|---:|---:|---:|",
        ]
        for number, (port, w) in enumerate(m["workers_pss"].items(), start=1):
            lines.append(
                f"| Worker {number} (:{port}, {held[port]} connections) | {mib(w['before'])} "
                f"| {mib(w['connected'])} | {mib(w['after'])} | {pss_each[port]:.0f} KiB |"
            )
    cpu = result["worker_cpu"]
    replies = max(len(result["posts"]), 1)
    other = result["other_cpu"]
    lines += [
        "",
        f"Per open connection: about {per_client:.0f} KiB in the client process and "
        f"{statistics.mean(rss_each.values()):.0f} KiB (RSS) in a worker"
        + (f", {statistics.mean(pss_each.values()):.0f} KiB (Pss)" if pss_each else "")
        + ": its growth from before the clients to all of them subscribed, divided by the "
        "connections it holds.",
        "",
        "| CPU from each POST until the last client had the reply | Total | Per reply |",
        "|---|---:|---:|",
        *(
            f"| Worker (:{port}) | {seconds:.1f} s | {1000 * seconds / replies:.0f} ms |"
            for port, seconds in cpu.items()
        ),
        f"| Both workers: request, render, {CLIENTS} deliveries | {sum(cpu.values()):.1f} s "
        f"| {1000 * sum(cpu.values()) / replies:.0f} ms |",
        f"| Redis | {other['redis']:.1f} s | {1000 * other['redis'] / replies:.0f} ms |",
        f"| The {CLIENTS} clients (this process) | {other['clients']:.1f} s "
        f"| {1000 * other['clients'] / replies:.0f} ms |",
    ]
    return "\n".join(lines)


def shown(path: Path) -> str:
    """A results path as the report prints it: inside the checkout relative to it, else
    as given (BENCH_RESULTS_DIR may point anywhere)."""
    return str(path.relative_to(base.ROOT)) if path.is_relative_to(base.ROOT) else str(path)


def write_json(result: dict, s: dict, facts: dict, command: str, started, report: Path) -> Path:
    """The figures for machines: bench/results/fanout.json, overwritten by each run."""
    held = result["held"]
    rss_each = per_connection(result["memory"]["workers"], held)
    pss_each = per_connection(result["memory"]["workers_pss"], held)
    cpu = result["worker_cpu"]
    replies = max(len(result["posts"]), 1)
    figures = {
        "run": f"{started:%Y-%m-%dT%H:%M:%SZ}",
        "command": command,
        "report": shown(report),
        "clients": CLIENTS,
        "workers": WORKERS,
        "replies": len(result["posts"]),
        "deflate": DEFLATE,
        "p50_ms": round(s["p50"], 1),
        "p90_ms": round(s["p90"], 1),
        "p95_ms": round(s["p95"], 1),
        "p99_ms": round(s["p99"], 1),
        "max_ms": round(s["max"], 1),
        "post_p50_ms": round(s["post_p50"], 1),
        "delivered": s["deliveries"],
        "expected": s["expected"],
        "connections_per_worker": {str(port): n for port, n in held.items()},
        "rss_kib": {str(port): w for port, w in result["memory"]["workers"].items()},
        "pss_kib": {str(port): w for port, w in result["memory"]["workers_pss"].items()},
        "rss_per_connection_kib": {
            **{str(port): round(kib, 1) for port, kib in rss_each.items()},
            "mean": round(statistics.mean(rss_each.values()), 1),
        },
        "pss_per_connection_kib": (
            {
                **{str(port): round(kib, 1) for port, kib in pss_each.items()},
                "mean": round(statistics.mean(pss_each.values()), 1),
            }
            if pss_each
            else None
        ),
        "client_rss_per_connection_kib": round(
            (result["memory"]["client"]["connected"] - result["memory"]["client"]["before"])
            / CLIENTS,
            1,
        ),
        "worker_cpu_ms_per_reply": {
            str(port): round(1000 * seconds / replies, 1) for port, seconds in cpu.items()
        },
        "connect_seconds": round(result["connect_seconds"], 2),
        "load_average_1min": {"before": facts["load_before"], "after": facts["load_after"]},
        "load_during_replies": result["load"],
        "file_limit": result["file_limit"],
        "machine": {k: v for k, v in facts.items() if not k.startswith("load_")},
    }
    path = base.RESULTS_DIR / "fanout.json"
    path.write_text(json.dumps(figures, indent=2) + "\n")
    return path


def write_results(result: dict, s: dict, facts: dict, command: str, started) -> Path:
    base.RESULTS_DIR.mkdir(exist_ok=True)
    stem = f"{started:%Y-%m-%d}-fanout"
    path = base.RESULTS_DIR / f"{stem}.md"
    counter = 2
    while path.exists():
        path = base.RESULTS_DIR / f"{stem}-{counter}.md"
        counter += 1
    per_post = "\n".join(
        f"| {n} | :{p['port']} | {p['post_ms']:.0f} ms "
        f"| {min(p['latencies_ms'], default=0):.0f} ms "
        f"| {percentile(p['latencies_ms'], 50) if p['latencies_ms'] else 0:.0f} ms "
        f"| {max(p['latencies_ms'], default=0):.0f} ms | {p['missing']} |"
        for n, p in enumerate(result["posts"], start=1)
    )
    sections = [
        f"# Live fan-out run {started:%Y-%m-%d %H:%M} UTC",
        "Produced by `make bench-fanout` (bench/fanout.py); see docs/performance.md, "
        '"Live fan-out", for how to read it.',
        "## Results\n\n" + tables(result, s),
        "Latency is measured from just before each POST is sent to the moment a client's "
        "`post.created` message is read, for every client and every reply, on one clock "
        "(the clients and the poster are the same process).",
        "## Each reply\n\n| Reply | Posted on | POST | First client | Median client "
        "| Last client | Missing |\n|---:|---|---:|---:|---:|---:|---:|\n" + per_post,
        "## Machine\n\n"
        + "\n".join(f"- {k}: {v}" for k, v in facts.items() if not k.startswith("load_"))
        + f"\n- Load average (1 min) before: {facts['load_before']}, after: {facts['load_after']}",
        "## Setup\n\n"
        f"- Command: `{command}`\n"
        f"- Workers: 2 × `{result['worker_command']}` (one process each, on two free ports; "
        "config/serve_workers.py), DEBUG=false, "
        f"DB_POOL_SIZE={base.DB_POOL_SIZE}, database {base.DB_NAME}, "
        f"FORUM_WRITE_RATE=1000/m, REDIS_URL={base.REDIS_URL} for the cache and the channel "
        f"layer ({result['redis']}).\n"
        f"- Clients: {CLIENTS} visitors (no session), websockets' asyncio client "
        + ("with permessage-deflate (as browsers)" if DEFLATE else "without compression")
        + ", alternating between the two workers, each subscribed to the one thread.\n"
        f"- Replies: {len(result['posts'])}, alternately through each worker's reply form "
        f"(GET the thread for the CSRF token and submission key, then POST, with "
        f"`X-Forwarded-Proto: https`); the next is posted {PAUSE} s after every client has "
        f"the previous one (or after {REPLY_DEADLINE} s).",
    ]
    if result["unexpected"]:
        noticed = "\n".join(f"- {line}" for line in result["unexpected"])
        sections.append("## Noticed during the run\n\n" + noticed)
    path.write_text("\n\n".join(sections) + "\n")
    return path


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()[0]
    # Each client is a socket here; each worker holds its share plus its own files.
    file_limit = raise_file_limit(CLIENTS + FILE_MARGIN)
    if file_limit["soft"] != file_limit["soft_before"]:
        log(
            f"open-file limit raised from {file_limit['soft_before']} to {file_limit['soft']} "
            f"(hard limit {file_limit['hard']})"
        )
    workdir = Path(tempfile.mkdtemp(prefix="porchlight-fanout-"))
    redis_url, redis_server = start_private_redis(workdir)
    base.REDIS_URL = redis_url  # what bench.run's helpers put in the environment and report
    try:
        return measure_and_report(workdir, started, load_before, redis_server, file_limit)
    finally:
        if redis_server is not None:
            redis_server.terminate()
            redis_server.wait(timeout=10)


def start_profiled_worker(port: int, *, env: dict, output, extra: tuple, profile: Path):
    """The same worker under cProfile. Stopped with SIGINT (see stop_profiled_workers),
    since uvicorn re-raises a SIGTERM after its shutdown, which ends the process before
    cProfile writes ``profile``."""
    command = worker_command(port, extra=extra)
    command[1:1] = ["-m", "cProfile", "-o", str(profile)]
    return subprocess.Popen(  # noqa: S603 - our own command line, no shell
        command,
        cwd=base.ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_profiled_workers(workers: dict, timeout: float = 30) -> None:
    """SIGINT: uvicorn shuts down, re-raises it, and cProfile writes its file while the
    KeyboardInterrupt passes. Whatever is left is stopped as usual."""
    for process in workers.values():
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + timeout
    for process in workers.values():
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
    stop_workers(workers)


def print_profiles(workdir: Path) -> None:
    import pstats

    for path in sorted(workdir.glob("profile-*.prof")):
        log(f"profile of the worker {path.stem.removeprefix('profile-')}: {path}")
        stats = pstats.Stats(str(path))
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)


def measure_and_report(
    workdir: Path, started, load_before: float, redis_server, file_limit: dict
) -> int:
    env = base.production_env(port=0, static_root=workdir / "static")
    env["FORUM_WRITE_RATE"] = "1000/m"
    manage = [sys.executable, "manage.py"]

    log(f"recreating database {base.DB_NAME}, migrating, collecting static files")
    base.recreate_database()
    base.run([*manage, "migrate", "--noinput", "-v0"], env=env)
    base.run([*manage, "collectstatic", "--noinput", "-v0"], env=env)
    import redis

    redis.Redis.from_url(base.REDIS_URL).flushdb()  # the run's own Redis: nothing stale
    redis_where = (
        "a private redis-server started for the run, no persistence"
        if redis_server
        else "FANOUT_REDIS_URL"
    )
    log(f"Redis: {base.REDIS_URL} ({redis_where})")
    log("seeding through the services")
    seeded = json.loads(
        base.run([sys.executable, "-m", "bench.fanout", "seed"], env=env).splitlines()[-1]
    )

    ports = [base.free_port() for _ in range(WORKERS)]
    extra = ("--proxy-headers", "--forwarded-allow-ips", HOST, "--no-access-log")
    workers, outputs = {}, []
    try:
        for port in ports:
            outputs.append((workdir / f"worker-{port}.log").open("w"))
            if PROFILE:
                workers[port] = start_profiled_worker(
                    port,
                    env=env,
                    output=outputs[-1],
                    extra=extra,
                    profile=workdir / f"profile-{port}.prof",
                )
            else:
                workers[port] = start_worker(port, env=env, output=outputs[-1], extra=extra)
        wait_until_answering(workers, timeout=60)
        for port in ports:  # each worker renders the thread once before the clients come
            status = http_request(port, "GET", f"/t/{seeded['thread_id']}/", cookies={})[0]
            if status != 200:
                raise base.BenchError(f"the thread page on :{port} answered {status}")
        log(f"workers on {', '.join(f':{p}' for p in ports)}")
        try:  # the clients' loop: uvloop when there (it comes with uvicorn[standard])
            from uvloop import run as run_loop
        except ImportError:
            run_loop = asyncio.run
        redis_pid = redis_server.pid if redis_server else None
        result = run_loop(measure(ports, seeded, workers, redis_pid))
        result["redis"] = redis_where
        result["file_limit"] = file_limit
        result["worker_command"] = (
            shlex.join(worker_command(0, extra=extra))
            .replace(sys.executable, "python")
            .replace("--port 0", "--port <port>")
        )
    finally:
        if PROFILE:
            stop_profiled_workers(workers)
        else:
            stop_workers(workers)
        for output in outputs:
            output.close()

    errors, stuck, paused = [], 0, []
    for log_path in sorted(workdir.glob("worker-*.log")):
        for line in log_path.read_text().splitlines():
            if "timeout graceful shutdown exceeded" in line:
                # A consumer task that never finished after its client left (see
                # docs/performance.md, "Live fan-out"); only the shutdown notices it.
                stuck += 1
            elif "ERROR" in line or "Traceback" in line:
                errors.append(f"{log_path.name}: {line}")
            elif "Live updates paused" in line:
                paused.append(f"{log_path.name}: {line}")
    if stuck:
        result["unexpected"].append(
            f"{stuck} worker(s) had a consumer task still running at shutdown, cancelled "
            "after uvicorn's --timeout-graceful-shutdown"
        )
    result["unexpected"] += paused
    for number, post in enumerate(result["posts"], start=1):
        if post["missing"] == CLIENTS:
            result["unexpected"].append(
                f"reply {number} reached no client (held for review by the spam screening, "
                "or the channel layer failed)"
            )
    s = summary(result)
    try:
        facts = base.machine()
    except (OSError, base.BenchError) as exc:  # wrk or psql missing: still report the run
        facts = {"Machine": f"unknown ({exc})"}
    facts |= {"load_before": f"{load_before:.2f}", "load_after": f"{os.getloadavg()[0]:.2f}"}
    knobs = [f"FANOUT_CLIENTS={CLIENTS}"] if CLIENTS != 1000 else []
    knobs += [f"FANOUT_REPLIES={REPLIES}"] if REPLIES != 20 else []
    knobs += ["FANOUT_DEFLATE=0"] if not DEFLATE else []
    knobs += ["FANOUT_PROFILE=1"] if PROFILE else []
    command = " ".join([*knobs, "make bench-fanout"])
    path = write_results(result, s, facts, command, started)
    json_path = write_json(result, s, facts, command, started, path)
    print()
    print(tables(result, s))
    print()
    log(f"written to {shown(path)} and {shown(json_path)}")
    if PROFILE:
        print_profiles(workdir)
        log(f"profiles kept in {workdir}")
        return 0
    if s["missing"] or errors or len(result["unexpected"]) > bool(stuck):
        log(f"problems: {s['missing']} deliveries missing; logs kept in {workdir}")
        for line in (errors + result["unexpected"])[:5]:
            log(f"  {line}")
        return 1
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["seed"]:
        print(json.dumps(seed()))
        sys.exit(0)
    try:
        sys.exit(main())
    except base.BenchError as exc:
        print(f"[fanout] FAILED: {exc}", file=sys.stderr)
        sys.exit(1)
