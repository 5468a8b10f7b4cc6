"""``make run`` serves on HOST:PORT, and the links it puts in emails and members'
messages (SITE_URL) must point at the same place. Read from ``make -n``: the commands
make would run, without running them."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _serving_commands(*args, env_site_url=None) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    if env_site_url:
        env["SITE_URL"] = env_site_url
    out = subprocess.run(
        ["make", "-n", "run", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    return [line for line in out.splitlines() if "uvicorn" in line or "db_worker" in line]


def test_site_url_follows_the_port_make_run_serves_on():
    commands = _serving_commands("PORT=8010")
    assert len(commands) == 2
    for command in commands:
        assert command.startswith("SITE_URL=http://127.0.0.1:8010 "), command
    assert "--port 8010" in commands[-1]


def test_site_url_follows_the_host_too():
    commands = _serving_commands("HOST=0.0.0.0", "PORT=9000")
    assert all(c.startswith("SITE_URL=http://0.0.0.0:9000 ") for c in commands)


def test_a_site_url_set_in_the_environment_wins():
    commands = _serving_commands("PORT=8010", env_site_url="https://forum.example.com")
    assert all(c.startswith("SITE_URL=https://forum.example.com ") for c in commands)
