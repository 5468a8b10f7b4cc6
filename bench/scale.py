"""The million-post benchmark, in one command: ``make bench-scale`` (or
``.venv/bin/python bench/scale.py``).

It creates the ``porchlight_scale`` PostgreSQL database when missing (it is kept between
runs: seeding takes minutes), migrates, seeds it with ``manage.py seed_scale`` (which adds
nothing when the data set is already there), serves it with ONE uvicorn worker the way
``make bench`` does (bench/run.py: production settings, Redis cache), and loads each page
with wrk: the big board's first page and a deep page, the last page of the 2,100-reply
thread, a search, each as a visitor and as a signed-in member, and a reply POST (a wrk
Lua script with a member's session cookie and CSRF token; each request a new body and
submission key). Writes bench/results/scale.json and bench/results/scale.md, and the
query plans of every measured page (EXPLAIN ANALYZE) to bench/results/scale-plans.md.

Environment knobs (all optional): BENCH_DURATION (seconds per page, default 10),
BENCH_SCALE_CONNECTIONS (default 1: the figures are a page's latency, not a queue's),
BENCH_SCALE_DATABASE_NAME (default porchlight_scale), BENCH_PG, BENCH_REDIS_URL,
BENCH_SCALE_SEED_ARGS (extra arguments for seed_scale, e.g. "--posts 20000").

The reply POST needs more than the product's write budget (10 a minute per member): the
server started here gets FORUM_WRITE_RATE=1000000/m in its environment; nothing else
changes.
"""

import datetime as dt
import http.client
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run as bench_run  # noqa: E402 - after the path fix for `python bench/scale.py`
from bench.run import HOST, PROXY_HEADER, ROOT, BenchError, Target, log, parse_wrk  # noqa: E402

RESULTS_DIR = ROOT / "bench" / "results"
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
WARMUP = 2
CONNECTIONS = int(os.environ.get("BENCH_SCALE_CONNECTIONS", "1"))
DB_NAME = os.environ.get("BENCH_SCALE_DATABASE_NAME", "porchlight_scale")
SEED_ARGS = shlex.split(os.environ.get("BENCH_SCALE_SEED_ARGS", ""))
BOARD_SLUG = "scale-big"
DEEP_PAGE = 5000
SEARCH_QUERY = "webhooks 502"
# A thread in the middle of the big board takes the replies (not the measured one).
REPLY_THREAD_INDEX = 5000
BENCH_USERNAME = "scale-bench-writer"
TARGETS = {
    "board_p1": "big board, page 1",
    "board_deep": "big board, deepest page",
    "board_middle": "big board, middle page",
    "thread_last": "2,100-reply thread, last page",
    "search": f"search “{SEARCH_QUERY}” (~65,000 matches)",
    "search_selective": "search for one thread (title words and number)",
}
GOALS = {
    "board_p1": 50, "board_deep": 50, "board_middle": 50, "thread_last": 50, "search": 150,
    "search_selective": 150, "temperature": 100,
}  # fmt: skip
# Pages only staff open, measured signed in as staff. The temperature page looks at the 30
# days ending with the seed's last day (the seed's posts are in the past), against the 30
# before: 1,440 hour rows per board.
STAFF_TARGETS = {"temperature": "temperature, 30 days against the 30 before"}
STAFF_USERNAME = "scale-bench-staff"

LUA_POST = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local counter = 0
local token = "%(token)s"
request = function()
  counter = counter + 1
  local key = string.format("wrk-%%d-%%d-%%d", os.time(), math.random(1, 1000000000), counter)
  local body = "csrfmiddlewaretoken=" .. token .. "&submission_key=" .. key
    .. "&body=A+reply+from+the+load+test%%2C+number+" .. key
  return wrk.format(nil, nil, nil, body)
end
"""


def prepare() -> dict:
    """Run inside the server's environment: the measured paths, a signed-in member's
    cookies, the queries of each page and their plans. Prints one JSON object."""
    import django  # noqa: PLC0415 - this half runs with Django configured, the other without

    django.setup()
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.core.cache import cache  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from accounts.roles import Role  # noqa: PLC0415
    from accounts.services import user_create  # noqa: PLC0415
    from forum.models import Board, Post, Thread  # noqa: PLC0415

    cache.clear()
    board = Board.objects.get(slug=BOARD_SLUG)
    per_page = django.conf.settings.FORUM_THREADS_PER_PAGE
    last_board_page = -(-board.thread_count // per_page)
    long_thread = Thread.objects.filter(board__slug__startswith="scale-").order_by("-reply_count")[
        0
    ]
    last_thread_page = -(-long_thread.post_total // django.conf.settings.FORUM_POSTS_PER_PAGE)
    reply_thread = Thread.objects.filter(board=board).order_by("pk")[REPLY_THREAD_INDEX]
    User = get_user_model()
    writer = User.objects.filter(username=BENCH_USERNAME).first()
    if writer is None:
        writer = user_create(
            username=BENCH_USERNAME, email=f"{BENCH_USERNAME}@example.com", password=None
        )
    paths = {
        "board_p1": f"/b/{BOARD_SLUG}/",
        "board_deep": f"/b/{BOARD_SLUG}/?page={min(DEEP_PAGE, last_board_page)}",
        "thread_last": f"/t/{long_thread.pk}/?page={last_thread_page}",
        "board_middle": f"/b/{BOARD_SLUG}/?page={(last_board_page + 1) // 2}",
        "search": "/search/?q=" + SEARCH_QUERY.replace(" ", "+"),
        "search_selective": "/search/?q="
        + "+".join([reply_thread.title.split()[-1].strip("()"), *reply_thread.title.split()[1:3]]),
    }
    staff_user = User.objects.filter(username=STAFF_USERNAME).first()
    if staff_user is None:
        staff_user = user_create(
            username=STAFF_USERNAME,
            email=f"{STAFF_USERNAME}@example.com",
            password=None,
            role=Role.STAFF,
            job_title="Support",
        )
    # The seed's last post, not the benchmark's own replies (written now).
    seeded = Post.objects.filter(author__username__startswith="scale-member-")
    last_post = seeded.order_by("-created_at").values_list("created_at", flat=True)[0]
    staff_paths = {"temperature": f"/staff/temperature/?period=30d&until={last_post:%Y-%m-%d}"}
    client = Client(HTTP_HOST=HOST, headers={PROXY_HEADER[0]: PROXY_HEADER[1]})
    member = Client(HTTP_HOST=HOST, headers={PROXY_HEADER[0]: PROXY_HEADER[1]})
    member.force_login(writer)
    staff = Client(HTTP_HOST=HOST, headers={PROXY_HEADER[0]: PROXY_HEADER[1]})
    staff.force_login(staff_user)
    queries, plans = {}, {}
    for name, path in staff_paths.items():
        with CaptureQueriesContext(connection) as ctx:
            response = staff.get(path, secure=True)
        if response.status_code != 200:
            raise BenchError(f"GET {path} (staff) answered {response.status_code}")
        queries[f"{name}_staff"] = [q["sql"] for q in ctx.captured_queries]
    for name, path in paths.items():
        for who, browser in (("anon", client), ("member", member)):
            with CaptureQueriesContext(connection) as ctx:
                response = browser.get(path, secure=True)
            if response.status_code != 200:
                raise BenchError(f"GET {path} ({who}) answered {response.status_code}")
            queries[f"{name}_{who}"] = [q["sql"] for q in ctx.captured_queries]
    cache.clear()
    for name, path in [*paths.items(), *staff_paths.items()]:
        with CaptureQueriesContext(connection) as ctx:
            (staff if name in staff_paths else member).get(path, secure=True)
        plans[name] = []
        with connection.cursor() as cursor:
            for query in ctx.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                plans[name].append({"sql": sql, "plan": plan})
    reply_path = f"/t/{reply_thread.pk}/reply/"
    member.get(f"/t/{reply_thread.pk}/", secure=True)
    staff.get(staff_paths["temperature"], secure=True)
    return {
        "paths": paths | staff_paths,
        "staff_session": staff.cookies["sessionid"].value,
        "board_threads": board.thread_count,
        "last_board_page": last_board_page,
        "long_thread_posts": long_thread.post_total,
        "reply_path": reply_path,
        "reply_thread": reply_thread.pk,
        "session": member.cookies["sessionid"].value,
        "csrf": member.cookies["csrftoken"].value,
        "queries": {name: len(sqls) for name, sqls in queries.items()},
        "plans": plans,
        "totals": {
            "members": User.objects.count(),
            "threads": Thread.objects.count(),
            "posts": django.apps.apps.get_model("forum", "Post").objects.count(),
        },
    }


def wrk(port: int, target: Target, duration: int, *, script: Path | None = None) -> str:
    cmd = [
        "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "--timeout", "10s",
        "-H", f"{PROXY_HEADER[0]}: {PROXY_HEADER[1]}",
    ]  # fmt: skip
    if target.cookie:
        cmd += ["-H", f"Cookie: {target.cookie}"]
    if script is not None:
        origin = f"https://{HOST}:{port}"
        cmd += ["-H", f"Origin: {origin}", "-H", f"Referer: {origin}/", "-s", str(script)]
    cmd.append(f"http://{HOST}:{port}{target.path}")
    target.result["command"] = shlex.join(cmd)
    return bench_run.run(cmd, timeout=duration + 60)


def wait_until_serving(server: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"uvicorn exited with {server.returncode}:\n{log_path.read_text()}")
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        try:
            conn.request("GET", "/bench/ceiling/", headers=dict([PROXY_HEADER]))
            conn.getresponse().read()
        except OSError:
            time.sleep(0.2)
        else:
            return
        finally:
            conn.close()
    raise BenchError(f"uvicorn did not answer within 60 s:\n{log_path.read_text()}")


def write_reports(data: dict, prepared: dict, facts: dict, command: str) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "scale.json").write_text(json.dumps(data, indent=2) + "\n")
    rows = []
    for key, result in data["pages"].items():
        goal = result.get("goal_ms")
        measure = "p50" if key == "reply_post" else "p99"
        value = result[f"{measure}_ms"]
        verdict = "" if goal is None else ("met" if value <= goal else "**missed**")
        rows.append(
            f"| {result['label']} | {result['p50_ms']:.1f} | {result['p99_ms']:.1f} | "
            f"{result['rps']:.0f} | {result.get('queries', '')} | "
            f"{'' if goal is None else f'{measure} ≤ {goal}'} | {verdict} |"
        )
    md = [
        f"# Scale benchmark {data['started']}",
        "Produced by `make bench-scale` (bench/scale.py).",
        "| page | p50 ms | p99 ms | req/s | queries | goal | |\n|---|---:|---:|---:|---:|---|---|\n"
        + "\n".join(rows),
        f"Deep page / page 1 (p99, visitor): {data['deep_over_first_p99']:.2f}×; "
        f"signed in: {data['deep_over_first_p99_member']:.2f}×.",
        "## Setup\n\n"
        + "\n".join(f"- {k}: {v}" for k, v in facts.items())
        + f"\n- server: `{command}`\n- load: wrk -t1 -c{CONNECTIONS}, {DURATION} s per page "
        f"after a {WARMUP} s warm-up",
    ]
    (RESULTS_DIR / "scale.md").write_text("\n\n".join(md) + "\n")
    plans = ["# Query plans at scale (EXPLAIN ANALYZE, signed-in member, cold page cache)"]
    for name, items in prepared["plans"].items():
        plans.append(f"## {(TARGETS | STAFF_TARGETS)[name]}: `{prepared['paths'][name]}`")
        for item in items:
            plans.append(f"```sql\n{item['sql']}\n```\n\n```\n{item['plan']}\n```")
    (RESULTS_DIR / "scale-plans.md").write_text("\n\n".join(plans) + "\n")


def main() -> int:
    if shutil.which("wrk") is None:
        raise BenchError("wrk is not installed: apt-get install -y wrk")
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    bench_run.DB_NAME = DB_NAME
    bench_run.WORKERS = 1
    port = bench_run.free_port()
    workdir = Path(tempfile.mkdtemp(prefix="porchlight-scale-"))
    env = bench_run.production_env(port=port, static_root=workdir / "static")
    env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + f"/{DB_NAME}"
    env["FORUM_WRITE_RATE"] = "1000000/m"
    manage = [sys.executable, "manage.py"]
    pg = ["-h", bench_run.PG_HOST, "-p", bench_run.PG_PORT, "-U", bench_run.PG_USER]
    databases = subprocess.run(
        ["psql", *pg, "-tAc", "SELECT datname FROM pg_database", "postgres"],
        capture_output=True, text=True, check=False,
    ).stdout.split()  # fmt: skip
    if DB_NAME not in databases:
        log(f"creating database {DB_NAME}")
        bench_run.run(["createdb", *pg, DB_NAME])
    log("migrating, collecting static files")
    bench_run.run([*manage, "migrate", "--noinput", "-v0"], env=env, timeout=1800)
    bench_run.run([*manage, "collectstatic", "--noinput", "-v0"], env=env)
    log("seeding (adds nothing when the data set is there)")
    seed_started = time.monotonic()
    subprocess.run([*manage, "seed_scale", *SEED_ARGS], cwd=ROOT, env=env, check=True)
    seed_seconds = time.monotonic() - seed_started
    prepared = json.loads(
        bench_run.run([sys.executable, "bench/scale.py", "prepare"], env=env).splitlines()[-1]
    )
    session = f"sessionid={prepared['session']}; csrftoken={prepared['csrf']}"
    targets = {}
    for key, label in TARGETS.items():
        path = prepared["paths"][key]
        targets[key] = Target(f"{label} (visitor)", path)
        targets[f"{key}_member"] = Target(f"{label} (member)", path, session)
    targets["reply_post"] = Target("reply POST (member)", prepared["reply_path"], session)
    for key, label in STAFF_TARGETS.items():
        staff_cookie = f"sessionid={prepared['staff_session']}"
        targets[f"{key}_staff"] = Target(f"{label} (staff)", prepared["paths"][key], staff_cookie)
    script = workdir / "post.lua"
    script.write_text(LUA_POST % {"token": prepared["csrf"]})

    command = " ".join(bench_run.uvicorn_command(port)).replace(
        str(Path(sys.executable).parent) + "/", ""
    )
    log(f"starting: {command}")
    server_log = workdir / "uvicorn.log"
    with server_log.open("w") as out:
        server = subprocess.Popen(
            bench_run.uvicorn_command(port), cwd=ROOT, env=env, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_until_serving(server, port, server_log)
        for key, target in targets.items():
            post = script if key == "reply_post" else None
            log(f"warm-up {WARMUP} s, then {DURATION} s: {target.name}")
            wrk(port, target, WARMUP, script=post)
            target.raw = wrk(port, target, DURATION, script=post)
            target.result |= parse_wrk(target.raw)
    finally:
        bench_run.stop(server)
    errors = [
        line
        for line in server_log.read_text().splitlines()
        if " 500 " in line or "Traceback" in line or " 403 " in line
    ]
    pages = {}
    for key, target in targets.items():
        base = key.removesuffix("_member").removesuffix("_staff")
        who = "member" if key.endswith("_member") or key == "reply_post" else "anon"
        who = "staff" if key.endswith("_staff") else who
        pages[key] = {
            "label": target.name,
            "path": target.path,
            "p50_ms": target.result["p50_ms"],
            "p99_ms": target.result["p99_ms"],
            "rps": target.result["rps"],
            "requests": target.result["requests"],
            "non_2xx": target.result["non_2xx"],
            "goal_ms": 40 if key == "reply_post" else GOALS.get(base),
        }
        if key != "reply_post":
            pages[key]["queries"] = prepared["queries"][f"{base}_{who}"]
    facts = {
        "data": f"{prepared['totals']['members']:,} members, "
        f"{prepared['totals']['threads']:,} threads, {prepared['totals']['posts']:,} posts; "
        f"big board {prepared['board_threads']:,} threads ({prepared['last_board_page']:,} "
        f"pages), long thread {prepared['long_thread_posts']:,} posts",
        "seed_scale this run": f"{seed_seconds:.0f} s",
        "load average before (1, 5, 15 min)": ", ".join(f"{x:.2f}" for x in load_before),
        "load average after": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "cores": os.cpu_count(),
        "server errors (500/403 lines in its log)": len(errors),
    }
    data = {
        "started": f"{started:%Y-%m-%d %H:%M} UTC",
        "connections": CONNECTIONS,
        "duration_s": DURATION,
        "workers": 1,
        "pages": pages,
        "deep_over_first_p99": pages["board_deep"]["p99_ms"] / pages["board_p1"]["p99_ms"],
        "deep_over_first_p99_member": pages["board_deep_member"]["p99_ms"]
        / pages["board_p1_member"]["p99_ms"],
        "facts": facts,
    }
    write_reports(data, prepared, facts, command)
    print((RESULTS_DIR / "scale.md").read_text())
    for line in errors[:5]:
        log(f"server: {line}")
    failed = [t.name for t in targets.values() if t.result["non_2xx"]]
    if failed:
        log(f"non-2xx/3xx answers in {failed}; server log kept: {server_log}")
        return 1
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        if sys.argv[1:] == ["prepare"]:
            print(json.dumps(prepare()))
            sys.exit(0)
        sys.exit(main())
    except BenchError as exc:
        print(f"[bench-scale] FAILED: {exc}", file=sys.stderr)
        sys.exit(1)
