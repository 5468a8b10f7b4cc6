"""``make test`` against PostgreSQL drops its test databases even when a finished
thread left a session open (PostgreSQL refuses to drop a database in use)."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] not in ("django.db.backends.postgresql", "config.db"),
    reason="PostgreSQL only",
)


def test_the_test_database_is_dropped_although_a_thread_left_a_session_open():
    db = settings.DATABASES["default"]
    name = f"teardown_{os.getpid()}"
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:xdist",
            "-q",
            "-W",
            "error::pytest.PytestWarning",
            "tests/config/leaky_thread_case.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Error when trying to teardown" not in done.stdout + done.stderr
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres"
    ) as conn:
        left = conn.execute(
            "SELECT datname FROM pg_database WHERE datname = %s", [f"test_{name}"]
        ).fetchall()
    assert left == []
