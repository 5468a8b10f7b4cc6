"""Shared fixtures. Test data is built through the services, against the real database."""

import importlib
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache, caches
from django.db import connection, connections
from django.utils import timezone

from accounts.roles import Role
from accounts.services import user_create
from forum import services as forum_services
from forum.models import Board
from tests.smtp_server import smtp_server  # noqa: F401 (fixture: a real SMTP server)

PASSWORD = "correct horse battery staple"


def pytest_configure(config):
    """Compile the translation catalogs as `make` does, so the French pages are French when
    pytest runs on its own too. Once, in the main process, before any worker starts."""
    if hasattr(config, "workerinput"):
        return
    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        [sys.executable, "manage.py", "compilemessages_py"],
        cwd=root,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Drop the test database cleanly: PostgreSQL refuses to drop a database that still
    has sessions, so this worker closes its own and ends any a finished thread left
    behind (a live server's request threads, a race test's writers) before teardown."""
    yield
    with django_db_blocker.unblock():
        connections.close_all()
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connection.close()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache; every test starts with a clean budget, and
    with no stored page (ids are reused once a test's rows are rolled back)."""
    cache.clear()
    caches["pages"].clear()
    yield
    cache.clear()
    caches["pages"].clear()


@pytest.fixture
def make_user(db):
    counter = {"n": 0}

    def make(username=None, *, role=Role.MEMBER, job_title="", display_name="", verified=True):
        counter["n"] += 1
        username = username or f"user{counter['n']}"
        user = user_create(
            username=username,
            email=f"{username}@example.com",
            password=PASSWORD,
            role=role,
            job_title=job_title,
            display_name=display_name,
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def member(make_user):
    return make_user("jamie", display_name="Jamie")


@pytest.fixture
def other_member(make_user):
    return make_user("priya", display_name="Priya")


@pytest.fixture
def staff(make_user):
    return make_user("sam", role=Role.STAFF, job_title="Support Engineer", display_name="Sam")


@pytest.fixture
def moderator(make_user):
    return make_user("morgan", role=Role.MODERATOR, display_name="Morgan")


@pytest.fixture
def admin_user(make_user):
    return make_user("alex", role=Role.ADMIN, job_title="Community Lead", display_name="Alex")


_default_boards = importlib.import_module("forum.migrations.0002_create_boards").BOARDS


@pytest.fixture
def boards(db):
    """The three boards of the data migration. Transactional tests flush the database, so
    they are recreated (through the service) when missing."""
    found = {board.slug: board for board in Board.objects.all()}
    for spec in _default_boards:
        if spec["slug"] not in found:
            found[spec["slug"]] = forum_services.board_create(**spec)
    return found


@pytest.fixture
def help_board(boards):
    return boards["help"]


@pytest.fixture
def make_thread(help_board):
    def make(author, *, board=None, title="Export drops rows", body="It fails **every** time."):
        return forum_services.thread_create(
            board=board or help_board, author=author, title=title, body=body
        )

    return make


@pytest.fixture
def thread(make_thread, member):
    return make_thread(member)


@pytest.fixture
def guidelines(db, admin_user):
    """The demo guidelines (G1–G6), published through the service, so moderation can cite
    rules."""
    from moderation.demo import GUIDELINES, GUIDELINES_INTRO
    from moderation.services import guidelines_publish

    return guidelines_publish(actor=admin_user, intro=GUIDELINES_INTRO, rules=GUIDELINES)


class Clock:
    """What ``django.utils.timezone.now`` returns while the ``clock`` fixture is active.
    Every service, selector and check reads the time through it, so expiry and reopening
    are tested to the second without sleeping or a job."""

    def __init__(self, when: datetime):
        self.now = when

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, when: datetime) -> datetime:
        self.now = when
        return self.now


@pytest.fixture
def clock(monkeypatch):
    frozen = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


def pytest_collection_modifyitems(config, items):
    """A transactional test flushes the database when it ends, content types included; one
    that does not restore them (serialized_rollback) breaks every later test in its process
    that relies on them, far from the cause. Refuse such a test at collection."""
    careless = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if not marker.kwargs.get("serialized_rollback"):
            careless.append(item.nodeid)
    if careless:
        raise pytest.UsageError(
            "Transactional tests must also restore the database they flush: mark them "
            "@pytest.mark.django_db(transaction=True, serialized_rollback=True):\n  "
            + "\n  ".join(careless)
        )
