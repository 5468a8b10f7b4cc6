"""``manage.py db_worker``: django-tasks-db's worker, made to outlive the database.

The stock worker exits on the first ``OperationalError`` ("couldn't get a connection",
"terminating connection due to administrator command"), and nothing sends mail until
someone starts it again. This one keeps the process alive through an outage: it logs the
outage once, waits with capped exponential backoff, probes the database, logs the recovery
and picks up the queue where it stopped. It takes every option of the stock command and
adds ``--max-backoff``.

The project's ``config`` app is listed before ``django_tasks_db`` in INSTALLED_APPS, so
Django runs this command for the name ``db_worker``.
"""

import logging
import os
import random
import time
from argparse import ArgumentTypeError

from django.core.management.base import CommandError
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("porchlight.worker")

# Errors that mean "the database is not there right now", as opposed to a bug.
UNREACHABLE = (OperationalError, InterfaceError)


class ResilientWorker(db_worker.Worker):
    def __init__(self, *, max_backoff: float, **kwargs):
        super().__init__(**kwargs)
        self.max_backoff = max_backoff
        # A task whose outcome could not be recorded because the database went away while
        # it ran; it stays RUNNING in the table until the database is back.
        self._unrecorded: tuple[DBTaskResult, BaseException] | None = None

    def run(self) -> None:
        while self.running:
            try:
                super().run()
                return  # --batch or --max-tasks finished normally
            except UNREACHABLE as exc:
                if not self.running:
                    return
                self._wait_out_outage(exc)
                # The random start-up pause is for a fleet starting at once; a recovery
                # is already spread out by the backoff's jitter.
                self.startup_delay = False

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        except UNREACHABLE as exc:
            # The stock worker already retried saving the result; the database is gone.
            self._unrecorded = (db_task_result, exc)
            raise

    def _wait_out_outage(self, error: BaseException) -> None:
        started = time.monotonic()
        logger.error(
            "Database unreachable; the task worker is pausing and will retry with "
            "backoff (up to every %.0f s) until it is back: %s",
            self.max_backoff,
            _one_line(error),
        )
        delay = min(1.0, self.max_backoff)
        attempts = 0
        while self.running:
            _close_connections()
            time.sleep(delay * random.uniform(0.8, 1.2))  # noqa: S311 - jitter, not crypto
            attempts += 1
            try:
                _probe()
                self._record_unrecorded()
            except UNREACHABLE as exc:
                logger.debug("Database still unreachable (attempt %d): %s", attempts, exc)
                delay = min(delay * 2, self.max_backoff)
                continue
            logger.info(
                "Database reachable again after %.1f s (%d attempts); the task worker resumes",
                time.monotonic() - started,
                attempts,
            )
            return

    def _record_unrecorded(self) -> None:
        """The task that was running when the database went away is marked FAILED with the
        error that stopped it, as the stock worker would have done; it is not run again,
        because it may have done its work (sent its mail) before the result was lost."""
        if self._unrecorded is None:
            return
        db_task_result, error = self._unrecorded
        try:
            db_task_result.set_failed(error)
        except UNREACHABLE:
            raise  # gone again: kept for the next recovery
        except DatabaseError:
            logger.exception("Could not record task id=%s as failed", db_task_result.id)
        else:
            logger.warning(
                "Task id=%s was interrupted by the database outage and is marked failed",
                db_task_result.id,
            )
        self._unrecorded = None


def _close_connections() -> None:
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DatabaseError:
            # Closing a connection to a server that is gone can fail too; the wrapper has
            # dropped it either way.
            connection.connection = None


def _probe() -> None:
    # The query the worker failed on, near enough: a bare SELECT 1 would call a missing
    # table (SQLite raises OperationalError for that too) a recovery, again and again.
    DBTaskResult.objects.exists()


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def valid_backoff(value: str) -> float:
    number = db_worker.valid_interval(value)
    if number <= 0:
        raise ArgumentTypeError("Must be greater than zero")
    return number


class Command(db_worker.Command):
    help = (
        "Run the database task worker. It survives database outages: it logs once, retries "
        "with backoff and resumes when the database is back."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--max-backoff",
            default=30.0,
            type=valid_backoff,
            help="Longest wait, in seconds, between database probes during an outage "
            "(default: %(default)r)",
        )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        max_backoff: float,
        **options,
    ) -> None:
        # As the stock command, building the resilient worker instead.
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning("--reload and --batch cannot be specified together; not reloading")
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")

        worker = ResilientWorker(
            max_backoff=max_backoff,
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child process handles signals
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
