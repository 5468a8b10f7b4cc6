"""``make run`` serves on HOST:PORT, and the links it puts in emails and members'
messages (SITE_URL) must point at the same place. Read from ``make -n``: the commands
make would run, without running them. Its server runs with DEBUG off on plain http, so a
missing page is the site's own 404 page; that server is started here with make run's
environment, a database of its own and collected static files."""

import html
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.site_process import http_get, site_env, start_site

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


# --- The server make run starts: production's settings on plain http ---------------------

KEY_FROM_FILE = "$(cat var/secret_key)"


def _run_environment() -> dict[str, str]:
    """The variables make run sets on its server command, before the program's name."""
    command = next(c for c in _serving_commands() if "uvicorn" in c)
    assert KEY_FROM_FILE in command
    variables = {}
    for word in shlex.split(command.replace(KEY_FROM_FILE, "from-var-secret-key")):
        if "=" not in word or word.startswith("-"):
            break
        name, value = word.split("=", 1)
        variables[name] = value
    return variables


def test_make_run_serves_with_debug_off_on_plain_http():
    variables = _run_environment()
    assert variables["DEBUG"] == "false"
    assert variables["SECURE_SSL_REDIRECT"] == "false"
    assert variables["SECURE_COOKIES"] == "false"
    assert variables["BEHIND_PROXY"] == "false"
    assert variables["SECRET_KEY"] == "from-var-secret-key"
    # The key is made once, readable by its owner only, before anything starts.
    out = subprocess.run(
        ["make", "-n", "-B", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "umask 077" in out and "> var/secret_key" in out


@pytest.fixture
def run_server(tmp_path):
    """The site as make run serves it: its environment, collected static files with hashed
    names (STATIC_MANIFEST) and a database of its own, not the demo's in var/."""
    env = site_env(
        settings="config.settings",
        database_url=f"sqlite:///{tmp_path / 'run.sqlite3'}",
        status_dir=tmp_path / "status",
        **{
            **_run_environment(),
            "SECRET_KEY": "make-run-test-key-" + "x" * 40,
            "STATIC_MANIFEST": "true",
            "STATIC_ROOT": str(tmp_path / "static"),
            "MEDIA_ROOT": str(tmp_path / "media"),
        },
    )
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    server, base = start_site(env, tmp_path / "uvicorn.log")
    yield base
    server.stop()


def test_make_run_shows_the_sites_own_404_page_and_serves_static_files(run_server):
    status, _headers, body = http_get(run_server + "/no/such/page/")
    assert status == 404
    assert "We can't find that page" in html.unescape(body)
    # Django's debug 404 lists the URL map; the site's page does not.
    assert "URLconf" not in body and "urlpatterns" not in body
    stylesheet = re.search(r'href="(/static/css/porchlight\.[0-9a-f]+\.css)"', body)
    assert stylesheet, "the 404 page links the hashed stylesheet"
    status, headers, css = http_get(run_server + stylesheet.group(1))
    assert status == 200 and "--ink" in css
    assert "immutable" in headers["Cache-Control"]


def test_make_run_lets_people_sign_in_over_plain_http(run_server):
    status, headers, body = http_get(run_server + "/accounts/login/")
    assert status == 200  # no redirect to https
    cookies = headers.get_all("Set-Cookie") or []
    csrf = [cookie for cookie in cookies if cookie.startswith("csrftoken=")]
    assert csrf and "secure" not in csrf[0].lower()
