"""Production mode is driven by the environment alone and starts safe or not at all."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    ignored = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_secret_key_refuses_to_start_with_a_clear_message():
    result = manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr


def test_check_deploy_is_clean_in_production_mode():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="a-production-secret-" + "k7Jq2xV9pLm4Rt8sWz1Yb6Nc3Hd5Fg0Ae" * 2,
        ALLOWED_HOSTS="forum.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_defaults_need_no_environment():
    result = manage("check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_malformed_boolean_is_a_clear_error(value):
    result = manage("check", DEBUG=value)
    assert result.returncode != 0
    assert f"DEBUG={value!r} is not a yes/no value" in result.stderr


def test_database_pool_is_configured_for_postgresql_only():
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('pool'))"
    )
    result = manage(
        "shell",
        "-c",
        code,
        DATABASE_URL="postgres://porchlight@db.invalid/porchlight",
        DB_POOL_SIZE="10",
    )
    assert result.returncode == 0, result.stderr
    assert "'max_size': 10" in result.stdout
    result = manage(
        "shell", "-c", code, DB_POOL_SIZE="10", DATABASE_URL="sqlite:////tmp/pool-check.sqlite3"
    )  # SQLite: no pool
    assert result.stdout.strip().endswith("None")


@pytest.mark.django_db
def test_web_connections_to_postgresql_run_without_jit_or_parallel_workers():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
