"""Does failing fast in an outage cost requests under load? ``.venv/bin/python bench/pool.py``

A short pool timeout would make pages fail fast when PostgreSQL is down, but it is also
how long a request may queue for a pooled connection when the site is busy. This starts a
PostgreSQL of its own (tests/pg_cluster.py), one uvicorn worker (tests/site_process.py)
with a small pool (DB_POOL_SIZE=2, so the pool is the bottleneck on a small machine) and
fires CLIENTS concurrent clients at the board index, first with config.db (pool timeout
10 s, fails fast only when the server is unreachable), then with Django's own backend and
a 2 s pool timeout. It prints the status codes and latencies of each. Figures: docs/performance.md,
"Connection pool under load".

Environment: BENCH_POOL_CLIENTS (default 200), BENCH_POOL_REQUESTS (default 800).
"""

import concurrent.futures
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pg_cluster import PgCluster  # noqa: E402
from tests.site_process import site_env, start_site  # noqa: E402

CLIENTS = int(os.environ.get("BENCH_POOL_CLIENTS", "200"))
REQUESTS = int(os.environ.get("BENCH_POOL_REQUESTS", "800"))
VARIANTS = {"config.db, pool timeout 10 s": "", "Django's backend, pool timeout 2 s": "stock-2s"}


def get(url: str) -> tuple[int, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            code = response.status
    except urllib.error.HTTPError as exc:
        code = exc.code
    return code, time.monotonic() - started


def load(env: dict, log: Path) -> tuple[dict, float, float]:
    try:
        server, base = start_site(env, log)
    except RuntimeError:
        raise SystemExit(f"uvicorn did not answer; see {log}") from None
    try:
        get(base + "/")  # the first request loads what Django loads lazily: not measured
        with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
            results = list(pool.map(lambda _: get(base + "/"), range(REQUESTS)))
    finally:
        server.stop()
    codes: dict[int, int] = {}
    for code, _ in results:
        codes[code] = codes.get(code, 0) + 1
    latencies = sorted(took for _, took in results)
    return codes, latencies[len(latencies) // 2], latencies[-1]


def main() -> None:
    cluster = PgCluster(database="porchlight_pool_bench")
    scratch = Path(tempfile.mkdtemp(prefix="porchlight-pool-bench-"))
    try:
        cluster.start()
        cluster.create_database()
        env = site_env(
            settings="bench.pool_settings",
            database_url=cluster.url,
            status_dir=scratch / "status",
            DB_POOL_SIZE="2",
        )
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        print(f"{CLIENTS} concurrent clients, {REQUESTS} requests to /, 1 uvicorn worker, pool 2")
        for label, variant in VARIANTS.items():
            codes, p50, worst = load(
                {**env, "BENCH_POOL_VARIANT": variant}, scratch / f"{variant or 'config-db'}.log"
            )
            print(f"{label}: statuses {codes}, p50 {p50:.2f} s, slowest {worst:.2f} s")
    finally:
        cluster.destroy()


if __name__ == "__main__":
    main()
