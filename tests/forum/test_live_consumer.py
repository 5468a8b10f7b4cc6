"""The /ws/live/ consumer through channels' WebsocketCommunicator, against the real
database and the configured channel layer (in-memory, or Redis in the PostgreSQL pass).

The consumer reads the database from worker threads, so these tests commit their data
(transactional database) — which is also what makes ``on_commit`` events real."""

import asyncio
import threading

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from forum.consumers import LiveConsumer
from forum.services import notice_create, post_create, post_edit
from moderation.services import flag_create, lockdown_set, post_hide

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TIMEOUT = 3


def run(scenario):
    """Run an async scenario on its own event loop in its own thread: a browser test earlier
    in the same worker leaves Playwright's loop attached to the main thread.

    Each scenario gets a channel layer of its own, since channels_redis keeps receive state
    (the loop receiving, its lock, buffers) on the layer object. And the loop is closed with
    a bound on the tasks the scenario left behind: a cancelled channels_redis receive may
    take up to its BZPOPMIN timeout (5 s) to end, and under load one was found still
    waiting when asyncio.run() tore the loop down, which then never returned."""
    outcome: dict = {}
    channel_layers.backends.pop("default", None)

    def target():
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(scenario())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            outcome["error"] = exc
        finally:
            _close(loop)

    worker = threading.Thread(target=target)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "the scenario did not finish in 60 s"
    if "error" in outcome:
        raise outcome["error"]


def _close(loop: asyncio.AbstractEventLoop) -> None:
    leftover = asyncio.all_tasks(loop)
    for task in leftover:
        task.cancel()
    if leftover:
        loop.run_until_complete(asyncio.wait(leftover, timeout=7))
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()


async def connect(user=None) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(LiveConsumer.as_asgi(), "/ws/live/")
    communicator.scope["user"] = user or AnonymousUser()
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    return communicator


async def subscribe(communicator, **request) -> dict:
    await communicator.send_json_to({"action": "subscribe", **request})
    return await communicator.receive_json_from(timeout=TIMEOUT)


def test_a_visitor_receives_a_reply_after_commit(thread, other_member, guidelines):
    async def scenario():
        visitor = await connect()
        assert await subscribe(visitor, thread=thread.pk) == {
            "type": "subscribed",
            "thread": thread.pk,
        }
        post = await database_sync_to_async(post_create)(
            thread=thread, author=other_member, body="Same here, **since Monday**."
        )
        event = await visitor.receive_json_from(timeout=TIMEOUT)
        assert event["type"] == "post.created"
        assert (event["thread"], event["post"], event["position"]) == (thread.pk, post.pk, 2)
        assert f'id="post-{post.pk}"' in event["html"]
        assert "<strong>since Monday</strong>" in event["html"]
        assert "Flag" not in event["html"]  # a visitor's copy carries no member links
        await visitor.disconnect()

    run(scenario)


def test_no_event_for_a_rolled_back_transaction(thread, other_member):
    class Abort(Exception):
        pass

    def reply_then_fail():
        try:
            with transaction.atomic():
                post_create(thread=thread, author=other_member, body="never committed")
                raise Abort
        except Abort:
            pass

    async def scenario():
        visitor = await connect()
        await subscribe(visitor, thread=thread.pk)
        await database_sync_to_async(reply_then_fail)()
        assert await visitor.receive_nothing(timeout=0.5)
        await visitor.disconnect()

    run(scenario)
    assert thread.posts.count() == 1


def test_edits_reach_open_copies(thread, member):
    async def scenario():
        visitor = await connect()
        await subscribe(visitor, thread=thread.pk)
        post = await database_sync_to_async(lambda: thread.posts.get())()
        await database_sync_to_async(post_edit)(post=post, editor=member, body="Now *fixed*.")
        event = await visitor.receive_json_from(timeout=TIMEOUT)
        assert event["type"] == "post.changed" and event["post"] == post.pk
        assert "<em>fixed</em>" in event["html"] and ">edited<" in event["html"]
        await visitor.disconnect()

    run(scenario)


def test_hidden_content_is_pushed_to_moderators_only(thread, other_member, moderator, guidelines):
    reply = post_create(thread=thread, author=other_member, body="You are all idiots.")

    async def scenario():
        visitor = await connect()
        mod = await connect(moderator)
        await subscribe(visitor, thread=thread.pk)
        await subscribe(mod, thread=thread.pk)
        await database_sync_to_async(post_hide)(actor=moderator, post=reply, rule_codes=["G3"])
        seen_by_visitor = await visitor.receive_json_from(timeout=TIMEOUT)
        seen_by_mod = await mod.receive_json_from(timeout=TIMEOUT)
        assert seen_by_visitor["type"] == seen_by_mod["type"] == "post.changed"
        assert "idiots" not in seen_by_visitor["html"]
        assert "Hidden by moderators under" in seen_by_visitor["html"]
        assert "idiots" in seen_by_mod["html"]
        await visitor.disconnect()
        await mod.disconnect()

    run(scenario)


def test_lock_and_unlock_tell_open_copies_to_refresh_banners(thread, moderator, guidelines):
    async def scenario():
        visitor = await connect()
        await subscribe(visitor, thread=thread.pk)
        await database_sync_to_async(lockdown_set)(
            actor=moderator, thread=thread, kind="lock", rule_codes=["G3"], reason="Cooling off."
        )
        event = await visitor.receive_json_from(timeout=TIMEOUT)
        assert event == {"type": "thread.changed", "thread": thread.pk, "board": None}
        await visitor.disconnect()

    run(scenario)


def test_a_board_lockdown_reaches_the_threads_of_the_board(
    thread, moderator, help_board, guidelines
):
    async def scenario():
        visitor = await connect()
        await subscribe(visitor, thread=thread.pk)
        await database_sync_to_async(lockdown_set)(
            actor=moderator, board=help_board, kind="slow", slow_minutes=5,
            rule_codes=["G2"], reason="Busy day.",
        )  # fmt: skip
        event = await visitor.receive_json_from(timeout=TIMEOUT)
        assert event == {"type": "thread.changed", "thread": None, "board": help_board.pk}
        await visitor.disconnect()

    run(scenario)


def test_notices_stream(thread, admin_user):
    async def scenario():
        visitor = await connect()
        assert await subscribe(visitor, stream="notices") == {
            "type": "subscribed",
            "stream": "notices",
        }
        await database_sync_to_async(notice_create)(
            actor=admin_user, message="Logins are slow.", level="warning", thread=thread
        )
        assert await visitor.receive_json_from(timeout=TIMEOUT) == {"type": "notices.changed"}
        await visitor.disconnect()

    run(scenario)


@pytest.mark.parametrize("who", ["visitor", "member", "staff"])
def test_only_moderators_may_follow_the_queue(request, who):
    user = None if who == "visitor" else request.getfixturevalue(who)

    async def scenario():
        communicator = await connect(user)
        reply = await subscribe(communicator, stream="queue")
        assert reply["type"] == "error"
        assert (
            ("sign in" in reply["reason"])
            if who == "visitor"
            else (reply["reason"] == "Only moderators can do this.")
        )
        await communicator.disconnect()

    run(scenario)


def test_the_queue_count_changes_live_for_moderators(thread, moderator, other_member, guidelines):
    async def scenario():
        mod = await connect(moderator)
        assert await subscribe(mod, stream="queue") == {"type": "subscribed", "stream": "queue"}
        assert await mod.receive_json_from(timeout=TIMEOUT) == {"type": "queue.count", "count": 0}
        post = await database_sync_to_async(lambda: thread.posts.get())()
        await database_sync_to_async(flag_create)(
            flagger=other_member, post=post, reason="rule", rule_code="G3"
        )
        assert await mod.receive_json_from(timeout=TIMEOUT) == {"type": "queue.count", "count": 1}
        await mod.disconnect()

    run(scenario)


@pytest.mark.parametrize(
    ("request_body", "reason"),
    [
        ({"action": "subscribe", "thread": 987654}, "No such thread."),
        ({"action": "subscribe", "thread": "abc"}, "No such thread."),
        ({"action": "subscribe", "stream": "secrets"}, "Unknown subscription."),
        ({"action": "drop tables"}, "Unknown request."),
    ],
)
def test_bad_subscriptions_are_refused_with_a_reason(db, request_body, reason):
    async def scenario():
        communicator = await connect()
        await communicator.send_json_to(request_body)
        assert await communicator.receive_json_from(timeout=TIMEOUT) == {
            "type": "error",
            "reason": reason,
        }
        await communicator.disconnect()

    run(scenario)


def test_no_events_from_threads_one_did_not_subscribe_to(thread, make_thread, other_member):
    other = make_thread(other_member, title="Another thread")

    async def scenario():
        visitor = await connect()
        await subscribe(visitor, thread=thread.pk)
        await database_sync_to_async(post_create)(thread=other, author=other_member, body="hi")
        assert await visitor.receive_nothing(timeout=0.5)
        await visitor.disconnect()

    run(scenario)


def test_a_reply_in_a_notices_thread_refreshes_the_notices(thread, admin_user, other_member):
    notice_create(actor=admin_user, message="Logins are slow.", level="outage", thread=thread)

    async def scenario():
        visitor = await connect()
        await subscribe(visitor, stream="notices")
        await database_sync_to_async(post_create)(
            thread=thread, author=other_member, body="Still slow here."
        )
        # The notice shows the thread's reply count, so open pages refetch the notices.
        assert await visitor.receive_json_from(timeout=TIMEOUT) == {"type": "notices.changed"}
        await visitor.disconnect()

    run(scenario)
