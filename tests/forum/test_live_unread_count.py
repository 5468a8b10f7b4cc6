"""The bell's unread count over /ws/live/: each signed-in member's socket joins their own
group on connect and hears their own count, after commit, whenever a notification of
theirs is created or read — and nobody else's. Real database, real channel layer (the
test settings' in-memory layer, or Redis in the PostgreSQL pass)."""

import pytest
from channels.db import database_sync_to_async
from django.db import transaction

from forum.models import Notification
from forum.services import post_create
from forum.services.notifications import (
    notification_mark_read,
    notifications_mark_all_read,
    notifications_mark_read_in_thread,
)
from tests.forum.test_live_consumer import TIMEOUT, connect, run, subscribe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_member_hears_their_own_count_and_nobody_elses(thread, member, other_member, moderator):
    async def scenario():
        jamie = await connect(member)
        priya = await connect(other_member)
        visitor = await connect()
        await database_sync_to_async(post_create)(
            thread=thread, author=moderator, body="@jamie could you attach the file?"
        )
        assert await jamie.receive_json_from(timeout=TIMEOUT) == {
            "type": "notifications.count",
            "count": 1,
        }
        notification = await database_sync_to_async(Notification.objects.get)(recipient=member)
        await database_sync_to_async(notification_mark_read)(notification=notification, user=member)
        assert await jamie.receive_json_from(timeout=TIMEOUT) == {
            "type": "notifications.count",
            "count": 0,
        }
        assert await priya.receive_nothing(timeout=0.3)
        assert await visitor.receive_nothing(timeout=0.1)
        for communicator in (jamie, priya, visitor):
            await communicator.disconnect()

    run(scenario)


def test_reading_everything_or_a_thread_sends_the_new_count_once(thread, member, moderator):
    for body in ("@jamie first", "@jamie second"):
        post_create(thread=thread, author=moderator, body=body)
    assert Notification.objects.filter(recipient=member, read_at=None).count() == 2

    async def scenario():
        jamie = await connect(member)
        await database_sync_to_async(notifications_mark_read_in_thread)(
            user=member, thread=thread, up_to_position=99
        )
        assert await jamie.receive_json_from(timeout=TIMEOUT) == {
            "type": "notifications.count",
            "count": 0,
        }
        # Nothing left unread: nothing changes, so nothing is sent.
        await database_sync_to_async(notifications_mark_all_read)(user=member)
        assert await jamie.receive_nothing(timeout=0.3)
        await jamie.disconnect()

    run(scenario)


def test_no_count_for_a_rolled_back_notification(thread, member, moderator):
    class Abort(Exception):
        pass

    def mention_then_fail():
        try:
            with transaction.atomic():
                post_create(thread=thread, author=moderator, body="@jamie never committed")
                raise Abort
        except Abort:
            pass

    async def scenario():
        jamie = await connect(member)
        await database_sync_to_async(mention_then_fail)()
        assert await jamie.receive_nothing(timeout=0.3)
        await jamie.disconnect()

    run(scenario)


def test_a_reconnected_page_asks_for_the_count_and_visitors_are_refused(thread, member, moderator):
    post_create(thread=thread, author=moderator, body="@jamie while you were away")

    async def scenario():
        jamie = await connect(member)
        assert await subscribe(jamie, stream="notifications") == {
            "type": "notifications.count",
            "count": 1,
        }
        visitor = await connect()
        reply = await subscribe(visitor, stream="notifications")
        assert reply == {"type": "error", "reason": "Sign in to see your notifications."}
        for communicator in (jamie, visitor):
            await communicator.disconnect()

    run(scenario)
