"""Run queued django-tasks the way ``manage.py db_worker`` does, for tests.

``run_worker()`` is the real worker in batch mode: it needs committed rows (tests marked
``transaction=True``), as it reconnects to the database. ``run_ready_tasks()`` runs the
ready tasks with the worker's own ``run_task`` inside the test's transaction, for tests
that do not commit (on-commit callbacks run with ``django_capture_on_commit_callbacks``)."""

from django.core.management import call_command
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def run_ready_tasks(*, limit: int = 100) -> int:
    """Run ready tasks (and the ones they queue) until none is ready; returns how many."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        result = DBTaskResult.objects.ready().filter(backend_name="default").first()
        if result is None:
            break
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran
