"""The only door to the channel layer (CONVENTIONS rule 7).

Services call ``send_event_on_commit``; the event leaves after the transaction commits,
or never if it rolls back. Events are JSON dicts with a prefixed ``type``
("forum.post_created") and ids, never model instances; the consumer turns them into HTML.

When the channel layer (Redis) is unreachable, pages and writes carry on: the failure is
logged once, live updates pause, and the next successful send logs that they resumed.
"""

import asyncio
import logging
import threading
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from forum import pagecache
from forum.selectors import notifications as selectors_notifications

logger = logging.getLogger("porchlight.realtime")

NOTICES_GROUP = "notices"
MODERATORS_GROUP = "moderators"

# A Redis that accepts connections but never answers would otherwise hold the request
# that sent the event for the channel layer's read timeout (10 s, see config/settings.py).
SEND_TIMEOUT = 2.0

_state = threading.Lock()
_failing = False


def thread_group(thread_id: int) -> str:
    return f"thread.{thread_id}"


def member_group(user_id: int) -> str:
    """One member's own sockets: what is sent here is for their eyes only."""
    return f"member.{user_id}"


def send_event_on_commit(group: str, event: dict) -> None:
    """Queue ``event`` for ``group`` once the current transaction commits."""
    if "." not in event.get("type", ""):
        raise ValueError("Event types are prefixed, e.g. 'forum.post_created'.")
    transaction.on_commit(lambda: send_event_now(group, event))


def send_event_now(group: str, event: dict) -> bool:
    """Send at once (only for code already past its commit). Never raises."""
    layer = get_channel_layer()
    if layer is None:
        return False
    if _inside_event_loop():
        # Only a test driving a browser through Playwright's sync API calls a service from
        # a thread that runs an event loop; that is not an outage, so it is not reported
        # as one. (Views run in threads without a loop; consumers use services via
        # database_sync_to_async.)
        logger.debug("Event %s not sent: called from inside a running event loop", event["type"])
        return False
    try:
        async_to_sync(_send_within_deadline)(layer, group, event)
    except Exception as exc:  # noqa: BLE001 - any layer failure must not break a write
        report_layer_failure(exc)
        return False
    report_layer_reachable()
    return True


def _inside_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def report_layer_failure(exc: BaseException) -> None:
    """Note that the channel layer failed; only the first failure of an outage is logged
    (per process), however many sends and open sockets run into it."""
    global _failing
    with _state:
        first = not _failing
        _failing = True
    if first:
        logger.warning(
            "Live updates paused: the channel layer is unreachable (%s). Pages and "
            "posting keep working; live updates resume when it is back.",
            str(exc) or type(exc).__name__,
        )


def report_layer_reachable() -> None:
    global _failing
    if not _failing:
        return
    with _state:
        recovered = _failing
        _failing = False
    if recovered:
        logger.warning("Live updates resumed: the channel layer is reachable again.")


async def _send_within_deadline(layer, group: str, event: dict) -> None:
    # The group travels with the event: each worker receives it once on its one channel
    # (forum.live_hub) and hands it to the sockets it has in that group.
    message = {**event, "group": group}
    await asyncio.wait_for(layer.group_send(group, message), SEND_TIMEOUT)


def layer_is_failing() -> bool:
    return _failing


# --- The events the product sends ------------------------------------------------------
# Each event is also a change to what pages show, so the stored copies of those pages are
# retired here too (forum.pagecache), after the same commit.


def post_version(post) -> str:
    """Changes whenever what readers see of the post changes (edit, hide, restore)."""
    return f"{post.revision_count}-{int(post.is_hidden)}-{post.hidden_rule_code}"


def post_created(post) -> None:
    pagecache.thread_changed_on_commit(post.thread_id)
    send_event_on_commit(
        thread_group(post.thread_id),
        {
            "type": "forum.post_created",
            "thread_id": post.thread_id,
            "post_id": post.pk,
            "position": post.position,
            "version": post_version(post),
        },
    )


def post_changed(post) -> None:
    pagecache.thread_changed_on_commit(post.thread_id)
    send_event_on_commit(
        thread_group(post.thread_id),
        {
            "type": "forum.post_changed",
            "thread_id": post.thread_id,
            "post_id": post.pk,
            "version": post_version(post),
        },
    )


def thread_changed(thread_id: int) -> None:
    """The thread's banners or status changed (lock, unlock, slow mode, status)."""
    pagecache.thread_changed_on_commit(thread_id)
    send_event_on_commit(
        thread_group(thread_id), {"type": "forum.thread_changed", "thread_id": thread_id}
    )


def board_changed(board_id: int) -> None:
    """A board-wide lockdown changed: every open thread of the board refreshes its banners."""
    pagecache.site_changed_on_commit()
    send_event_on_commit(
        f"board.{board_id}", {"type": "forum.thread_changed", "board_id": board_id}
    )


def notices_changed() -> None:
    pagecache.site_changed_on_commit()
    send_event_on_commit(NOTICES_GROUP, {"type": "forum.notices_changed"})


def queue_changed() -> None:
    send_event_on_commit(MODERATORS_GROUP, {"type": "moderation.queue_changed"})


def unread_counts_changed(user_ids: Iterable[int]) -> None:
    """These members' unread notification counts may have changed (notifications created
    or read): after commit, each member's open pages hear their new count. The count is
    read after commit, so it is the newest even when two writes commit out of order."""
    ids = sorted({int(pk) for pk in user_ids})
    if ids:
        transaction.on_commit(lambda: _send_unread_counts(ids), robust=True)


def _send_unread_counts(user_ids: list[int]) -> None:
    # A count is a nicety next to the post it is about: while the layer is down (found by
    # this very write's post event, or an earlier one) the request does not wait on it
    # again. Pages ask for their count when they reconnect.
    if layer_is_failing():
        return
    counts = selectors_notifications.unread_notification_counts(user_ids=user_ids)
    for user_id in user_ids:
        if layer_is_failing():
            return
        event = {"type": "forum.unread_count", "user_id": user_id, "count": counts[user_id]}
        send_event_now(member_group(user_id), event)
