"""A task for the outage tests: it leaves a file behind, so the test can see it ran."""

import time
from pathlib import Path

from django_tasks import task


@task()
def leave_mark(*, path: str) -> str:
    Path(path).write_text("ran", encoding="utf-8")
    return path


@task()
def wait_for_release(*, started: str, release: str) -> str:
    """Says it has started, then holds until the test releases it (or 30 s pass), so the
    test can take the database away while it runs."""
    Path(started).write_text("started", encoding="utf-8")
    deadline = time.monotonic() + 30
    while not Path(release).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return "released"
