"""The write and contact budgets are taken when the check allows a write, atomically, and
given back when the write fails; pages that only show a reply box take nothing.

Runs against whichever cache the settings give (the in-process cache, or Redis on the
PostgreSQL + Redis pass). The end-to-end race through the views is in
test_ratelimit_race.py."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from accounts.permissions import can
from forum import ratelimit
from forum.models import Post
from forum.permissions import check_reply, check_send_contact_message
from tests.threads import run_together


def take_at_once(n: int, take) -> list[bool]:
    """``n`` threads each open a write and ask ``take()`` at the same moment; the writes
    all stay open until every thread has asked (so none gives its use back early)."""
    asked = threading.Barrier(n)

    def write():
        with ratelimit.spending():
            allowed, _ = take()
            asked.wait(timeout=10)
            if allowed:
                take.keep()
            return allowed

    results, errors = run_together(*[write] * n)
    assert errors == [None] * n, errors
    return results


class WriteTaker:
    def __init__(self, user_id: int):
        self.user_id = user_id

    def __call__(self):
        return ratelimit.write_budget_allows(self.user_id)

    def keep(self):
        ratelimit.record_write(self.user_id)


@override_settings(FORUM_WRITE_RATE="10/m")
def test_thirty_simultaneous_writes_get_exactly_the_budget():
    results = take_at_once(30, WriteTaker(4242))
    assert results.count(True) == 10
    # The ten kept their use; the twenty refused ones left no trace in the counter.
    assert ratelimit.write_budget_left(4242)[0] == 0
    with ratelimit.spending():
        assert ratelimit.write_budget_allows(4242)[0] is False


@override_settings(FORUM_WRITE_RATE="10/m")
def test_simultaneous_writes_that_fail_give_every_use_back():
    class FailingWrite(WriteTaker):
        def keep(self):
            pass  # the write rolled back: nothing recorded after commit

    results = take_at_once(30, FailingWrite(4343))
    assert results.count(True) == 10
    assert ratelimit.write_budget_left(4343)[0] == 10


@override_settings(FORUM_WRITE_RATE="3/m")
def test_an_exception_inside_a_write_gives_the_use_back():
    with pytest.raises(RuntimeError), ratelimit.spending():
        assert ratelimit.write_budget_allows(7)[0] is True
        assert ratelimit.write_budget_left(7)[0] == 2  # held while the write runs
        raise RuntimeError("the write failed")
    assert ratelimit.write_budget_left(7)[0] == 3


@override_settings(FORUM_WRITE_RATE="3/m")
def test_one_write_takes_one_use_however_often_it_checks(member, thread):
    with ratelimit.spending():
        check_reply(member, thread)
        check_reply(member, thread)
        ratelimit.record_write(member.pk)
    assert ratelimit.write_budget_left(member.pk)[0] == 2


@override_settings(FORUM_WRITE_RATE="2/m")
def test_pages_that_show_the_reply_box_take_nothing(client, other_member, thread):
    client.force_login(other_member)
    for _ in range(5):
        assert can(check_reply, other_member, thread)
        assert client.get(f"/t/{thread.pk}/").status_code == 200
        assert client.get(f"/t/{thread.pk}/reply/").status_code == 200
    assert ratelimit.write_budget_left(other_member.pk)[0] == 2


@override_settings(FORUM_WRITE_RATE="2/m")
def test_a_reply_that_is_refused_gives_its_use_back(client, other_member, thread):
    client.force_login(other_member)
    for body in ("", "   ", "x" * 60_000):
        response = client.post(f"/t/{thread.pk}/reply/", {"body": body, "submission_key": "k"})
        assert response.status_code == 400
    assert ratelimit.write_budget_left(other_member.pk)[0] == 2
    assert Post.objects.filter(thread=thread).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
# A day's window: with a minute's, a slow run crossed into the next window between a reply
# and the count read after it, and found the budget whole again.
@override_settings(FORUM_WRITE_RATE="2/d")
def test_a_committed_reply_keeps_the_use_its_check_took_and_no_more(client, other_member, thread):
    client.force_login(other_member)
    for n in range(2):
        response = client.post(
            f"/t/{thread.pk}/reply/", {"body": f"reply {n}", "submission_key": f"k{n}"}
        )
        assert response.status_code == 302
        assert ratelimit.write_budget_left(other_member.pk)[0] == 1 - n
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "third", "submission_key": "k3"})
    assert response.status_code == 403
    assert "posting faster than we allow" in response.content.decode()
    assert Post.objects.filter(thread=thread).count() == 3


def test_simultaneous_contact_messages_get_exactly_the_budget(settings):
    settings.FORUM_CONTACT_RATE = "5/h"

    class ContactTaker:
        def __call__(self):
            try:
                check_send_contact_message(None, client_key="ip:203.0.113.9")
            except PermissionDenied:
                return False, 0
            return True, 0

        def keep(self):
            ratelimit.record_contact("ip:203.0.113.9")

    results = take_at_once(30, ContactTaker())
    assert results.count(True) == 5
    assert ratelimit.contact_budget_left("ip:203.0.113.9")[0] == 0
