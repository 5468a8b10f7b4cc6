"""PostgreSQL goes away and comes back: the task worker survives, the pool hands out no
dead connections, pages fail fast with the human error page and /status serves its copy.

Everything runs against a PostgreSQL server of the test's own (tests/pg_cluster.py), on
its own port, which the tests stop, start and restart; the shared server is never touched.
The site and the worker run as real processes (uvicorn, manage.py db_worker) with
production's settings (tests/config/outage_settings.py: DEBUG off), the database
configured through the environment as in production.
"""

import concurrent.futures
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.pg_cluster import PgCluster, binaries_missing
from tests.site_process import ROOT, Process, http_get, site_env, start_site

pytestmark = [
    pytest.mark.skipif(bool(binaries_missing()), reason=binaries_missing() or "n/a"),
    # One cluster per module and worker process: grouping the tests saves starting more.
    pytest.mark.xdist_group("pg_outage"),
]


def _env(cluster: PgCluster, copy_dir: Path, **extra: str) -> dict:
    return site_env(
        settings="tests.config.outage_settings",
        database_url=cluster.url,
        status_dir=copy_dir,
        **{"DB_POOL_SIZE": "0", "EMAIL_URL": "console://", "DEBUG": "true", **extra},
    )


def _wait_for(condition, *, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            detail = f"\n--- log ---\n{log.read_text(errors='replace')}" if log else ""
            pytest.fail(f"timed out after {timeout} s waiting for {what}{detail}")
        time.sleep(0.1)


def _wait_for_log(process: Process, text: str, *, what: str) -> None:
    _wait_for(lambda: text in process.text(), timeout=20, what=what, log=process.log)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A migrated PostgreSQL of our own. Migrating wrote the /status copy into copy_dir,
    which nothing else writes to: that is what a fresh deployment has."""
    pg = PgCluster(database="porchlight_outage")
    try:
        pg.start()
        pg.create_database()
        pg.copy_dir = tmp_path_factory.mktemp("status-copy")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=_env(pg, pg.copy_dir),
            check=True,
            timeout=120,
        )
        yield pg
    finally:
        pg.destroy()


@pytest.fixture
def running_cluster(cluster):
    if not cluster.running():
        cluster.start()
    yield cluster
    if not cluster.running():
        cluster.start()


@pytest.fixture
def processes():
    """The processes a test starts (append them); each is stopped by its pid afterwards."""
    started: list[Process] = []
    yield started
    for process in started:
        process.stop()


def _start_worker(processes: list, cluster: PgCluster, log: Path, **env: str) -> Process:
    """``manage.py db_worker`` on ``cluster``, polling often and backing off briefly, so an
    outage and the recovery show within seconds."""
    options = ["--no-reload", "--no-startup-delay", "--interval", "0.2", "--max-backoff", "0.5"]
    worker = Process(
        [sys.executable, "manage.py", "db_worker", *options],
        _env(cluster, cluster.copy_dir, **env),
        log,
    )
    processes.append(worker)
    return worker


def _run_django(cluster: PgCluster, code: str) -> str:
    """Run ``code`` in a fresh process with Django set up against ``cluster``; its output."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=_env(cluster, cluster.copy_dir),
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout.strip()


def _enqueue_mark(cluster: PgCluster, path: Path) -> None:
    _run_django(
        cluster,
        "from tests.config.outage_tasks import leave_mark\n"
        f"leave_mark.enqueue(path={str(path)!r})\n",
    )


# --- The task worker --------------------------------------------------------------------


@pytest.mark.parametrize("pool_size", ["0", "2"], ids=["no-pool", "pool"])
def test_worker_survives_a_database_outage_and_runs_tasks_after_it(
    running_cluster, processes, tmp_path, pool_size
):
    cluster = running_cluster
    worker = _start_worker(
        processes, cluster, tmp_path / "worker.log", LOG_LEVEL="DEBUG", DB_POOL_SIZE=pool_size
    )
    before, after = tmp_path / "before", tmp_path / "after"

    _enqueue_mark(cluster, before)
    _wait_for(before.exists, timeout=20, what="the task before the outage", log=worker.log)

    cluster.stop()
    # Several failed probes, one outage message, and the process still there.
    _wait_for_log(worker, "Database still unreachable (attempt 3)", what="three failed probes")
    assert worker.alive(), worker.text()
    assert worker.text().count("Database unreachable; the task worker is pausing") == 1

    cluster.start()
    _wait_for_log(
        worker, "Database reachable again", what="the worker to notice the database is back"
    )
    _enqueue_mark(cluster, after)
    _wait_for(after.exists, timeout=20, what="the task after the outage", log=worker.log)

    log = worker.text()
    assert worker.alive(), log
    assert log.count("Database unreachable; the task worker is pausing") == 1
    assert " ERROR porchlight.worker: Database unreachable" in log
    assert " INFO porchlight.worker: Database reachable again" in log
    assert "Traceback" not in log


def test_a_task_cut_off_by_the_outage_is_marked_failed_when_the_database_is_back(
    running_cluster, processes, tmp_path
):
    cluster = running_cluster
    worker = _start_worker(processes, cluster, tmp_path / "worker.log")
    started, release = tmp_path / "started", tmp_path / "release"
    task_id = _run_django(
        cluster,
        "from tests.config.outage_tasks import wait_for_release\n"
        f"print(wait_for_release.enqueue(started={str(started)!r}, release={str(release)!r}).id)",
    )
    _wait_for(started.exists, timeout=20, what="the task to start", log=worker.log)

    # The task finishes while the database is down: its result cannot be saved.
    cluster.stop()
    release.touch()
    _wait_for_log(worker, "Database unreachable", what="the worker to notice the outage")
    cluster.start()
    _wait_for_log(
        worker, f"Task id={task_id} was interrupted", what="the interrupted task to be recorded"
    )
    row = cluster.query(
        "SELECT id, status, exception_class_path FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'tests.config.outage_tasks.wait_for_release'"
    )
    assert row.split("|") == [task_id, "FAILED", "django.db.utils.OperationalError"], row
    assert worker.alive(), worker.text()


# --- The web server ---------------------------------------------------------------------


def _serve(processes: list, cluster: PgCluster, log: Path, **env: str) -> str:
    """The site on ``cluster`` (``env`` on top), once its /status page answers."""
    try:
        server, base = start_site(_env(cluster, cluster.copy_dir, **env), log)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    processes.append(server)

    def answers():
        if not server.alive():
            pytest.fail(f"uvicorn exited:\n{server.text()}")
        try:
            return http_get(base + "/status/", timeout=15)[0] == 200
        except OSError:
            return False

    _wait_for(answers, timeout=30, what="uvicorn to answer", log=log)
    return base


def test_a_postgresql_restart_fails_no_request_with_the_pool(running_cluster, processes, tmp_path):
    cluster = running_cluster
    base = _serve(processes, cluster, tmp_path / "server.log", DB_POOL_SIZE="4")

    # Concurrent requests fill the pool with several connections, all of which the
    # restart will kill while they sit idle in it.
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(lambda _: http_get(base + "/")[0], range(12)))
    assert codes == [200] * 12

    cluster.restart()

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(lambda _: http_get(base + "/")[0], range(12)))
    codes += [http_get(base + "/")[0] for _ in range(4)]
    assert codes == [200] * 16, (tmp_path / "server.log").read_text()


@pytest.mark.parametrize("pool_size", ["4", "0"], ids=["pool", "no-pool"])
def test_during_an_outage_pages_fail_fast_and_status_serves_the_saved_copy(
    running_cluster, processes, tmp_path, pool_size
):
    cluster = running_cluster
    log = tmp_path / "server.log"
    base = _serve(processes, cluster, log, DB_POOL_SIZE=pool_size)
    assert http_get(base + "/")[0] == 200  # a pooled connection is there when it stops

    cluster.stop()

    took = []
    for _ in range(3):
        started = time.monotonic()
        code, _, body = http_get(base + "/")
        took.append(time.monotonic() - started)
        assert code == 500
        assert "Something went wrong on our side" in body
        reference = body.split('class="error-reference">')[1].split("<")[0]
        assert len(reference) == 8 and reference in log.read_text()

        started = time.monotonic()
        code, headers, body = http_get(base + "/status/")
        took.append(time.monotonic() - started)
        # The copy migrate wrote: no notice was ever made on this site.
        assert code == 200 and headers.get("X-Status-Copy") == "1"
        assert body.startswith("<!DOCTYPE html>") and "All systems normal" in body
        assert "This copy was saved" in body

    # The pool would make each request wait out its 10 s timeout; these fail in well under
    # 2 s (half a second's wait for a pooled connection, then a refused probe, whose answer
    # the next second's requests share). The bound is generous for a shared machine and
    # still far below the pool's timeout.
    assert max(took) < 5, took
    print("outage responses took", ", ".join(f"{t:.2f} s" for t in took))


def test_a_busy_pool_keeps_requests_waiting_and_an_unreachable_one_fails_them(running_cluster):
    """config.db's pool, on its own: a request that waits past the first half second for
    a busy pool is not failed while the server answers; once it does not, requests fail."""
    import psycopg
    from psycopg_pool import ConnectionPool

    from config.db.base import FIRST_WAIT, FailFastPool, _Reachability

    cluster = running_cluster
    pool = ConnectionPool(
        f"host=127.0.0.1 port={cluster.port} user=postgres dbname={cluster.database}",
        kwargs={"connect_timeout": 2},
        check=ConnectionPool.check_connection,  # as Django passes it (CONN_HEALTH_CHECKS)
        min_size=1,
        max_size=1,
        timeout=10,
        open=True,
    )
    try:
        guarded = FailFastPool(pool, _Reachability())
        busy = guarded.getconn()
        # Given back only after the first wait is over: the second request probes, finds
        # the server there and keeps waiting instead of failing.
        release = threading.Timer(FIRST_WAIT + 1, pool.putconn, args=[busy])
        release.start()
        second = guarded.getconn()
        assert second is busy
        release.join()
        pool.putconn(second)

        cluster.stop()
        # The pooled connection is dead, nothing new can be made, the probe is refused.
        with pytest.raises(psycopg.OperationalError, match="database unreachable"):
            guarded.getconn()
        # The answer holds for a second: the next request fails without a new probe.
        probes = guarded._reachability._checked_at
        with pytest.raises(psycopg.OperationalError, match="database unreachable"):
            guarded.getconn()
        assert guarded._reachability._checked_at == probes
    finally:
        pool.close()


@pytest.fixture
def silent_server():
    """A port that accepts connections and never says a word, as a database host that has
    dropped off the network behind a firewall does. Yields the port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(timeout=5)
    for conn in held:
        conn.close()
    listener.close()


@pytest.mark.parametrize("pool_size", ["4", "0"], ids=["pool", "no-pool"])
def test_a_silent_database_host_fails_pages_within_the_connect_timeout(
    cluster, processes, tmp_path, silent_server, pool_size
):
    log = tmp_path / "server.log"
    base = _serve(
        processes,
        cluster,  # only for the /status copy its migrate wrote
        log,
        DB_POOL_SIZE=pool_size,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{silent_server}/none",
    )
    started = time.monotonic()
    code, _, body = http_get(base + "/")
    took = time.monotonic() - started
    assert code == 500 and "Something went wrong on our side" in body
    assert "timeout expired" in log.read_text()
    # Without connect_timeout the connection attempt would wait for as long as the
    # operating system lets it; with it, 2 s (plus half a second's wait for the pool).
    assert took < 5, took
    print(f"silent host, pool size {pool_size}: the page failed in {took:.2f} s")
