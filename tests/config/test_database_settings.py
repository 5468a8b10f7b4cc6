"""The database settings production gets from its environment, and the worker command
Django runs: what the outage tests in test_pg_outage.py rely on, checked without a
PostgreSQL server."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_db_worker_is_the_projects_command():
    """Two apps define db_worker; Django runs the one of the app listed first."""
    from django.core.management import get_commands

    assert get_commands()["db_worker"] == "config"


def test_production_database_settings_bound_every_wait():
    """What config/settings.py builds from production's environment."""
    script = (
        "import json; from config import settings as s; d = s.DATABASES['default'];"
        "print(json.dumps({k: d[k] for k in ('ENGINE', 'CONN_HEALTH_CHECKS', 'OPTIONS')}))"
    )
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://porchlight@db/porchlight",
        "DB_POOL_SIZE": "10",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True
    ).stdout
    database = json.loads(out)
    assert database["ENGINE"] == "config.db"
    assert database["CONN_HEALTH_CHECKS"] is True  # Django gives the pool psycopg's check
    assert database["OPTIONS"]["connect_timeout"] == 2
    assert database["OPTIONS"]["pool"]["timeout"] == 10
    assert database["OPTIONS"]["pool"]["reconnect_timeout"] == 5
