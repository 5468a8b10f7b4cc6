"""One WebSocket endpoint, /ws/live/, for everything a page shows live (CONVENTIONS rule 8).

The page asks for what it displays — {"action": "subscribe", "thread": 12},
{"action": "subscribe", "stream": "notices"}, {"action": "subscribe", "stream": "queue"} —
and each request is authorised by the same checks and selectors as the pages. A signed-in
member's socket also joins their own group on connect, where only their unread
notification count arrives. Events
arrive from forum.realtime after commit and leave as JSON with server-rendered HTML.
"""

import contextlib
import logging

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied
from django.http import Http404
from redis.exceptions import RedisError

from forum import live, realtime, selectors
from forum.selectors import notifications as selectors_notifications
from moderation import selectors as moderation_selectors
from moderation.permissions import check_moderate

logger = logging.getLogger("porchlight.live")

MAX_THREAD_SUBSCRIPTIONS = 5

# What a channel layer on Redis raises when Redis goes away under an open socket. Not
# OSError: uvicorn raises ClientDisconnected (an OSError) when the page has gone, which is
# no outage.
LAYER_DOWN = (RedisError,)

# Events from forum.realtime, as opposed to the socket's own websocket.* messages.
EVENT_PREFIXES = ("forum.", "moderation.")


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def __call__(self, scope, receive, send):
        # Every open socket waits on the channel layer; when Redis goes away they all fail
        # at once. Each closes with 1011 (the page reconnects with back-off and catches up)
        # and the outage is logged once by forum.realtime, not as a traceback per socket.
        try:
            await super().__call__(scope, receive, send)
        except LAYER_DOWN as exc:
            realtime.report_layer_failure(exc)
            with contextlib.suppress(Exception):
                await send({"type": "websocket.close", "code": 1011})

    async def dispatch(self, message):
        # channels closes stale database connections before every handler, a hop to the
        # worker's database thread. For a pushed event that is one hop per open socket, and
        # with hundreds of sockets on a thread the hops are most of a reply's fan-out. The
        # event handlers that read the database do it through database_sync_to_async,
        # which closes stale connections around each call itself.
        if message.get("type", "").startswith(EVENT_PREFIXES):
            handler = getattr(self, get_handler_name(message), None)
            if handler is not None:
                await handler(message)
                return
        await super().dispatch(message)

    async def _post_fragment(self, event) -> str | None:
        """The post as this kind of reader sees it: from the worker's cache in the event
        loop (every socket but the first of its kind), else rendered in the database
        thread."""
        key = {"post_id": event["post_id"], "version": event["version"], "kind": self.kind}
        html = live.cached_post_fragment(**key)
        if html is None:
            html = await database_sync_to_async(live.post_fragment)(**key)
        return html

    async def connect(self):
        self.user = self.scope.get("user")
        self.kind = await database_sync_to_async(live.viewer_kind)(self.user)
        self.groups_joined: set[str] = set()
        if self.kind != live.VISITOR:
            # Before accepting, so an open socket already hears every change of the count.
            # A layer that is down refuses the socket (see __call__); the page retries.
            await self._join(realtime.member_group(self.user.pk))
        await self.accept()

    async def disconnect(self, code):
        # The layer may be the reason we are closing; leaving groups is best effort.
        for group in self.groups_joined:
            with contextlib.suppress(Exception):
                await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or content.get("action") != "subscribe":
            await self.send_json({"type": "error", "reason": "Unknown request."})
            return
        try:
            if "thread" in content:
                await self._subscribe_thread(content["thread"])
            elif content.get("stream") == "notices":
                await self._join(realtime.NOTICES_GROUP)
                await self.send_json({"type": "subscribed", "stream": "notices"})
            elif content.get("stream") == "queue":
                await self._subscribe_queue()
            elif content.get("stream") == "notifications":
                await self._send_unread_count()
            else:
                await self.send_json({"type": "error", "reason": "Unknown subscription."})
        except PermissionDenied as exc:
            await self.send_json({"type": "error", "reason": str(exc)})
        except LAYER_DOWN as exc:
            realtime.report_layer_failure(exc)
            await self.close(code=1011)
        except Exception:  # noqa: BLE001 - the layer is down: tell the client to retry later
            logger.debug("Subscription failed", exc_info=True)
            await self.close(code=1011)

    async def _join(self, group: str) -> None:
        if group not in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.add(group)
            realtime.report_layer_reachable()

    async def _subscribe_thread(self, thread_id) -> None:
        threads = [g for g in self.groups_joined if g.startswith("thread.")]
        if len(threads) >= MAX_THREAD_SUBSCRIPTIONS:
            raise PermissionDenied("Too many threads on one connection.")
        try:
            thread = await database_sync_to_async(selectors.thread_get_for_user)(
                user=self.user, thread_id=int(thread_id)
            )
        except (Http404, TypeError, ValueError) as exc:
            raise PermissionDenied("No such thread.") from exc
        await self._join(realtime.thread_group(thread.pk))
        await self._join(f"board.{thread.board_id}")
        await self.send_json({"type": "subscribed", "thread": thread.pk})

    async def _subscribe_queue(self) -> None:
        await database_sync_to_async(check_moderate)(self.user)
        await self._join(realtime.MODERATORS_GROUP)
        await self.send_json({"type": "subscribed", "stream": "queue"})
        await self.moderation_queue_changed({})

    async def _send_unread_count(self) -> None:
        """The member's count now: a page that reconnects catches up with what it missed.
        The member's group was joined on connect, so nothing is lost in between."""
        if self.kind == live.VISITOR:
            raise PermissionDenied("Sign in to see your notifications.")
        count = await database_sync_to_async(selectors_notifications.unread_notification_count)(
            user=self.user
        )
        await self.send_json({"type": "notifications.count", "count": count})

    # --- Events from forum.realtime (type "forum.post_created" → forum_post_created) ---

    async def forum_post_created(self, event):
        html = await self._post_fragment(event)
        if html is not None:
            await self.send_json(
                {
                    "type": "post.created",
                    "thread": event["thread_id"],
                    "post": event["post_id"],
                    "position": event["position"],
                    "html": html,
                }
            )

    async def forum_post_changed(self, event):
        html = await self._post_fragment(event)
        if html is not None:
            await self.send_json(
                {
                    "type": "post.changed",
                    "thread": event["thread_id"],
                    "post": event["post_id"],
                    "html": html,
                }
            )

    async def forum_thread_changed(self, event):
        await self.send_json(
            {
                "type": "thread.changed",
                "thread": event.get("thread_id"),
                "board": event.get("board_id"),
            }
        )

    async def forum_notices_changed(self, event):
        await self.send_json({"type": "notices.changed"})

    async def moderation_queue_changed(self, event):
        count = await database_sync_to_async(moderation_selectors.open_item_count)()
        await self.send_json({"type": "queue.count", "count": count})

    async def forum_unread_count(self, event):
        # The group is the member's own; the id check keeps it so should a group be shared.
        if self.kind != live.VISITOR and event.get("user_id") == self.user.pk:
            await self.send_json({"type": "notifications.count", "count": event["count"]})
