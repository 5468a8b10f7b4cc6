"""A task for the outage tests: it leaves a file behind, so the test can see it ran."""

from pathlib import Path

from django_tasks import task


@task()
def leave_mark(*, path: str) -> str:
    Path(path).write_text("ran", encoding="utf-8")
    return path
