"""One WebSocket endpoint, /ws/live/, for everything a page shows live (CONVENTIONS rule 8).

The page asks for what it displays — {"action": "subscribe", "thread": 12},
{"action": "subscribe", "stream": "notices"}, {"action": "subscribe", "stream": "queue"} —
and each request is authorised by the same checks and selectors as the pages. A signed-in
member's socket also joins their own group on connect, where only their unread
notification count arrives. Events
arrive from forum.realtime after commit and leave as JSON with server-rendered HTML.
"""

import asyncio
import contextlib
import logging

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied
from django.http import Http404
from redis.exceptions import RedisError

from forum import live, live_hub, realtime, selectors
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

# Where a pushed post event keeps its message as encoded for each kind of reader.
ENCODED = "live.encoded"

# What the socket's own task finds in its inbox when reading from the browser failed.
READ_FAILED = "live.read_failed"


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def __call__(self, scope, receive, send):
        # Events reach the socket through its worker's hub (forum.live_hub), which receives
        # each group event once for all the worker's sockets and puts it in their inboxes;
        # the socket has no channel of its own on the layer. What the browser sends goes
        # into the same inbox, so the socket handles one message at a time, in order.
        self.scope = scope
        self.channel_layer = None
        self.base_send = send
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.groups_joined: set[str] = set()
        self._closed = False
        self.hub = live_hub.current()
        await self.hub.add(self)
        reader = asyncio.ensure_future(self._read(receive))
        try:
            while True:
                await self.dispatch(await self.inbox.get())
        except StopConsumer:
            pass
        except LAYER_DOWN as exc:
            # The layer refused a member's own group on connect: the socket is refused
            # (1011) and the page retries with back-off; logged once by forum.realtime.
            realtime.report_layer_failure(exc)
            with contextlib.suppress(Exception):
                await self.close(code=1011)
        finally:
            reader.cancel()
            with contextlib.suppress(Exception):
                await self.hub.remove(self)

    async def _read(self, receive) -> None:
        try:
            while True:
                message = await receive()
                self.inbox.put_nowait(message)
                if message["type"] == "websocket.disconnect":
                    return
        except Exception as exc:  # noqa: BLE001 - handed to the socket's own task to raise
            self.inbox.put_nowait({"type": READ_FAILED, "error": exc})

    async def dispatch(self, message):
        # Pushed events go straight to their handlers: channels would first close stale
        # database connections, a hop to the worker's database thread per socket per
        # event. The handlers that read the database do it through
        # database_sync_to_async, which closes stale connections around each call itself.
        kind = message["type"]
        if kind.startswith(EVENT_PREFIXES):
            handler = getattr(self, get_handler_name(message), None)
            if handler is not None:
                await handler(message)
                return
        elif kind == live_hub.OUTAGE:
            # Every socket of the worker hears of an outage at once and closes (1011); the
            # page reconnects with back-off and catches up. Logged once by the hub.
            await self.close(code=1011)
            raise StopConsumer
        elif kind == READ_FAILED:
            raise message["error"]
        await super().dispatch(message)

    async def close(self, code=None, reason=None):
        # A socket may be told to close twice (a failed subscription, then the outage);
        # the server refuses a second close.
        if not self._closed:
            self._closed = True
            await super().close(code=code, reason=reason)

    async def _post_fragment(self, event) -> str | None:
        """The post as this kind of reader sees it: from the worker's cache in the event
        loop (every socket but the first of its kind), else rendered in the database
        thread."""
        key = {
            "post_id": event["post_id"],
            "version": event["version"],
            "kind": self.kind,
            "language": self.language,
        }
        html = live.cached_post_fragment(**key)
        if html is None:
            html = await database_sync_to_async(live.post_fragment)(**key)
        return html

    async def _send_post(self, event, content: dict) -> None:
        """``content`` with the post's HTML for this kind of reader, or nothing if this
        kind may not see it. The worker's sockets share one copy of the event (see
        forum.live_hub), which keeps the message as encoded for each kind: encoding the
        HTML into JSON once, not once per socket."""
        encoded = event.setdefault(ENCODED, {})
        reader = (self.kind, self.language)
        text = encoded.get(reader)
        if text is None:
            html = await self._post_fragment(event)
            text = "" if html is None else await self.encode_json({**content, "html": html})
            encoded[reader] = text
        if text:
            await self.send(text_data=text)

    async def connect(self):
        self.user = self.scope.get("user")
        self.kind, self.language = await database_sync_to_async(self._reader)()
        if self.kind != live.VISITOR:
            # Before accepting, so an open socket already hears every change of the count.
            # A layer that is down refuses the socket (see __call__); the page retries.
            await self._join(realtime.member_group(self.user.pk))
        await self.accept()

    def _reader(self) -> tuple[str, str]:
        """The reader's kind and language, which decide how pushed posts are rendered."""
        kind = live.viewer_kind(self.user)
        return kind, live.viewer_language(self.user, self.scope.get("headers"))

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
            await self.hub.join(self, group)
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
        await self._send_post(
            event,
            {
                "type": "post.created",
                "thread": event["thread_id"],
                "post": event["post_id"],
                "position": event["position"],
            },
        )

    async def forum_post_changed(self, event):
        await self._send_post(
            event,
            {"type": "post.changed", "thread": event["thread_id"], "post": event["post_id"]},
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
