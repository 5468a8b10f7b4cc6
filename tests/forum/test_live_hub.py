"""A worker's sockets share one channel-layer membership per group (forum.live_hub), through
WebsocketCommunicator on one event loop — one worker — against the configured channel
layer (in-memory, or Redis in the PostgreSQL + Redis pass), whose memberships are read
back from the layer itself."""

import asyncio

import pytest
import redis
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer

from forum import live_hub, realtime
from forum.services import post_create
from moderation.services import post_hide
from tests.forum.test_live_consumer import TIMEOUT, connect, run, subscribe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def layer_members(group: str) -> set[str]:
    """The channels the layer holds in the group."""
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        return set(layer.groups.get(group, {}))
    client = redis.Redis.from_url(layer.hosts[0]["address"])
    try:
        return {m.decode() for m in client.zrange(layer._group_key(group), 0, -1)}
    finally:
        client.close()


def forget_groups(*groups: str) -> None:
    """Start from groups nobody is in: a group's name comes from ids, which an earlier test
    (or a worker process it stopped) may have used too."""
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        for group in groups:
            layer.groups.pop(group, None)
        return
    client = redis.Redis.from_url(layer.hosts[0]["address"])
    try:
        client.delete(*(layer._group_key(group) for group in groups))
    finally:
        client.close()


async def created(communicator) -> dict:
    event = await communicator.receive_json_from(timeout=TIMEOUT)
    assert event["type"] == "post.created", event
    return event


def test_a_workers_sockets_share_one_membership_and_each_gets_its_copy(
    thread, other_member, moderator, guidelines
):
    group, board = realtime.thread_group(thread.pk), f"board.{thread.board_id}"
    forget_groups(group, board)

    async def scenario():
        visitors = [await connect() for _ in range(3)]
        mod = await connect(moderator)
        for socket in [*visitors, mod]:
            await subscribe(socket, thread=thread.pk)
        hub = live_hub.current()
        assert layer_members(group) == layer_members(board) == {hub.channel_name}
        assert len(hub.members[group]) == 4

        post = await database_sync_to_async(post_create)(
            thread=thread, author=other_member, body="Same here."
        )
        for socket in [*visitors, mod]:
            assert (await created(socket))["post"] == post.pk

        # Each reader still gets the copy of their kind: moderators see hidden content.
        await database_sync_to_async(post_hide)(actor=moderator, post=post, rule_codes=["G3"])
        for socket in visitors:
            seen = await socket.receive_json_from(timeout=TIMEOUT)
            assert seen["type"] == "post.changed" and "Same here." not in seen["html"]
        seen = await mod.receive_json_from(timeout=TIMEOUT)
        assert seen["type"] == "post.changed" and "Same here." in seen["html"]
        for socket in [*visitors, mod]:
            await socket.disconnect()

    run(scenario)


def test_a_closed_socket_stops_receiving_and_the_others_carry_on(thread, other_member):
    group = realtime.thread_group(thread.pk)
    forget_groups(group)

    async def scenario():
        first, second, third = [await connect() for _ in range(3)]
        for socket in (first, second, third):
            await subscribe(socket, thread=thread.pk)
        hub = live_hub.current()
        await second.disconnect()
        assert second.future.done()
        assert len(hub.members[group]) == 2
        assert layer_members(group) == {hub.channel_name}  # still the worker's group

        post = await database_sync_to_async(post_create)(
            thread=thread, author=other_member, body="Still with you."
        )
        assert (await created(first))["post"] == (await created(third))["post"] == post.pk
        assert await first.receive_nothing(timeout=0.2)
        await first.disconnect()
        await third.disconnect()

    run(scenario)


def test_the_last_socket_to_leave_takes_the_worker_out_of_the_group(thread, other_member):
    group, board = realtime.thread_group(thread.pk), f"board.{thread.board_id}"
    forget_groups(group, board)

    async def scenario():
        sockets = [await connect() for _ in range(3)]
        for socket in sockets:
            await subscribe(socket, thread=thread.pk)
        hub = live_hub.current()
        channel = hub.channel_name
        for socket in sockets[:-1]:
            await socket.disconnect()
        assert layer_members(group) == layer_members(board) == {channel}
        await sockets[-1].disconnect()
        assert layer_members(group) == layer_members(board) == set()
        assert hub.members == {} and hub.channel_name is None
        # A page opened afterwards starts the worker's channel again and hears replies.
        again = await connect()
        await subscribe(again, thread=thread.pk)
        assert layer_members(group) == {live_hub.current().channel_name}
        await database_sync_to_async(post_create)(thread=thread, author=other_member, body="Hi")
        await created(again)
        await again.disconnect()

    run(scenario)


def test_a_members_own_group_is_left_when_their_last_page_closes(member, other_member):
    group = realtime.member_group(member.pk)
    forget_groups(group, realtime.member_group(other_member.pk))
    count = {"type": "forum.unread_count", "user_id": member.pk, "count": 4}

    async def scenario():
        page, other_page = await connect(member), await connect(member)
        someone_else = await connect(other_member)
        hub = live_hub.current()
        assert layer_members(group) == {hub.channel_name}
        await page.disconnect()
        assert layer_members(group) == {hub.channel_name}
        assert await database_sync_to_async(realtime.send_event_now)(group, count)
        assert await other_page.receive_json_from(timeout=TIMEOUT) == {
            "type": "notifications.count",
            "count": 4,
        }
        assert await someone_else.receive_nothing(timeout=0.2)
        await other_page.disconnect()
        assert layer_members(group) == set()
        assert layer_members(realtime.member_group(other_member.pk)) == {hub.channel_name}
        await someone_else.disconnect()

    run(scenario)


def test_two_hundred_pages_closing_at_once_leave_nothing_behind_on_the_layer(
    thread, make_user, caplog
):
    """Every page opens and closes at the same moment: a hundred members with a page each
    (a group of their own apiece) and a hundred visitors on one thread. The worker's
    membership changes stay within its Redis connection pool (a hundred connections):
    nothing is refused ("Too many connections"), nothing is left behind."""
    caplog.set_level("WARNING")
    members = [make_user() for _ in range(100)]
    groups = [realtime.member_group(m.pk) for m in members]
    groups += [realtime.thread_group(thread.pk), f"board.{thread.board_id}"]
    forget_groups(*groups)

    async def scenario():
        pages = await asyncio.gather(*(connect(m) for m in members))
        visitors = await asyncio.gather(*(connect() for _ in range(100)))
        await asyncio.gather(*(subscribe(v, thread=thread.pk) for v in visitors))
        assert all(layer_members(g) for g in groups)
        await asyncio.gather(*(p.disconnect(timeout=TIMEOUT) for p in [*pages, *visitors]))
        return {g: layer_members(g) for g in groups}

    left = run_and_return(scenario)
    assert {g: m for g, m in left.items() if m} == {}
    assert not [r for r in caplog.records if r.name.startswith("porchlight")]


def run_and_return(scenario):
    outcome = {}

    async def keep():
        outcome["value"] = await scenario()

    run(keep)
    return outcome["value"]
