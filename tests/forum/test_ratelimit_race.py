"""Thirty simultaneous replies (or contact messages) from one member get exactly the
budget, through the real views, against PostgreSQL.

The race is made certain rather than likely: the test holds the lock every write waits
for (the thread's row for replies, the contact table for messages) while thirty requests
run in threads. A check that only read the budget would let all thirty through to wait
on that lock; a check that takes the budget lets the budget's worth through and refuses
the rest at once. The lock is released once every request has either been answered or is
waiting on it."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client

from forum import ratelimit
from forum.models import ContactMessage, Post, Thread

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REQUESTS = 30


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row and table locks that make other sessions wait")


def waiting_on_locks() -> int:
    """Sessions of this database waiting for a lock (held by the test)."""
    with connection.cursor() as cursor:
        # Activity is read from a snapshot kept for the whole transaction; take a fresh one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def race(requests, hold_lock) -> list[int]:
    """Run ``requests`` (callables returning a response) at once while ``hold_lock()``
    holds the lock their writes need; let go once every one is answered or waiting."""
    statuses: list[int] = []
    answered = threading.Lock()

    def run(request):
        try:
            response = request()
            with answered:
                statuses.append(response.status_code)
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(request,)) for request in requests]
    with transaction.atomic():
        hold_lock()
        for worker in workers:
            worker.start()
        deadline = time.monotonic() + 60
        while len(statuses) + waiting_on_locks() < len(requests):
            assert time.monotonic() < deadline, (statuses, waiting_on_locks())
            time.sleep(0.05)
    for worker in workers:
        worker.join(timeout=60)
    assert len(statuses) == len(requests)
    return statuses


def test_thirty_simultaneous_replies_get_exactly_the_write_budget(settings, other_member, thread):
    settings.FORUM_WRITE_RATE = "10/m"
    clients = []
    for n in range(REQUESTS):
        client = Client()
        client.force_login(other_member)
        clients.append((client, n))

    def reply(client, n):
        return lambda: client.post(
            f"/t/{thread.pk}/reply/", {"body": f"Reply {n}", "submission_key": f"race-{n}"}
        )

    statuses = race(
        [reply(client, n) for client, n in clients],
        hold_lock=lambda: Thread.objects.select_for_update().get(pk=thread.pk),
    )
    assert sorted(statuses) == [302] * 10 + [403] * 20
    assert Post.objects.filter(thread=thread).count() == 1 + 10
    assert ratelimit.write_budget_left(other_member.pk)[0] == 0


def test_thirty_simultaneous_contact_messages_get_exactly_the_contact_budget(settings, db):
    settings.FORUM_CONTACT_RATE = "5/h"
    data = {
        "topic": "account",
        "name": "Vee",
        "email": "vee@example.org",
        "subject": "Locked out",
        "body": "I changed phones and lost my codes.",
        "website": "",
    }

    def send():
        return Client().post("/help/", data, REMOTE_ADDR="198.51.100.20")

    def lock_contact_table():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {ContactMessage._meta.db_table} IN EXCLUSIVE MODE")

    statuses = race([send] * REQUESTS, hold_lock=lock_contact_table)
    assert sorted(statuses) == [302] * 5 + [429] * 25
    assert ContactMessage.objects.count() == 5
    assert ratelimit.contact_budget_left("ip:198.51.100.20")[0] == 0
