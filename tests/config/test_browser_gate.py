"""Browser tests skip with a one-line reason when Chromium is missing, unless
REQUIRE_BROWSER=1, where the missing browser fails the run."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_smoke(**env_overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update({"CHROMIUM_PATH": "/nonexistent/chromium", **env_overrides})
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", "-rs", "tests/e2e/test_smoke.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_chromium_skips_with_a_reason():
    result = run_smoke(REQUIRE_BROWSER="0")
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "no Chromium at /nonexistent/chromium (apt-get install -y chromium)" in result.stdout


def test_missing_chromium_fails_when_the_browser_is_required():
    result = run_smoke(REQUIRE_BROWSER="1")
    assert result.returncode != 0
    assert "REQUIRE_BROWSER=1 but no Chromium" in result.stdout
