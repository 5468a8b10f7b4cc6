"""A worker's open /ws/live/ sockets share one channel on the channel layer.

Every socket registers with the hub of its event loop (one per worker process). The hub
joins a group on the channel layer when the first of its sockets joins it, receives each
group event once and puts it in the inbox of every member socket, in the event loop: one
channel-layer receive per worker per event instead of one per socket. Leaving is local
too; only the worker's last member of a group leaves it on the layer, so hundreds of pages
closing at once cost a handful of Redis calls, not hundreds.

The hub's receive is also how its sockets learn of an outage: when it fails, every socket
registered with it, subscribed or not, finds ``OUTAGE`` in its inbox and closes (1011;
the page reconnects and catches up). The next socket starts a new hub.
"""

import asyncio
import contextlib
import logging
import threading
import time
import weakref

from channels.layers import get_channel_layer
from redis.exceptions import RedisError

from forum import realtime

logger = logging.getLogger("porchlight.live")

# What a socket finds in its inbox when the hub's channel layer has failed.
OUTAGE = "live.outage"

# channels_redis forgets a membership a day after it was added. The hub adds a group once
# for all its sockets, so a socket joining a group added this long ago adds it again.
REFRESH_AFTER = 3600.0

# Membership changes a hub has in flight with the layer at once. redis-py's pool gives a
# worker a bounded number of connections; without a bound, a few hundred members closing
# their pages at once (each member has a group of their own) would exhaust it.
CONCURRENT_CHANGES = 8


class Hub:
    def __init__(self, layer):
        self.layer = layer
        self.channel_name: str | None = None
        self.members: dict[str, set] = {}  # group -> sockets
        self.joined: dict[object, set[str]] = {}  # socket -> groups
        self.added_at: dict[str, float] = {}
        self.failure: BaseException | None = None
        self._task: asyncio.Task | None = None
        self._locks: dict[str, list] = {}  # group -> [lock, users]
        self._changes = asyncio.Semaphore(CONCURRENT_CHANGES)
        self._busy = 0  # membership changes in flight, which need the channel's name

    # --- Sockets -------------------------------------------------------------------

    async def add(self, socket) -> None:
        """Register a socket (with an ``inbox`` queue); start receiving if it is the
        first."""
        self.joined[socket] = set()
        if self.failure is not None:
            socket.inbox.put_nowait({"type": OUTAGE})
        elif self.channel_name is None:
            name = await self.layer.new_channel()
            if self.channel_name is None:
                self.channel_name = name
                self._task = asyncio.get_running_loop().create_task(self._receive())

    async def remove(self, socket) -> None:
        """Forget a socket; the groups it was the worker's last member of are left on
        the layer (best effort: the layer may be why the socket is closing)."""
        emptied = []
        for group in self.joined.pop(socket, ()):
            sockets = self.members.get(group)
            if sockets is not None:
                sockets.discard(socket)
                if not sockets:
                    del self.members[group]
                    emptied.append(group)
        self._busy += 1
        try:
            for group in emptied:
                await self._leave(group)
        finally:
            self._busy -= 1
            self._stop_if_idle()

    async def join(self, socket, group: str) -> None:
        """Put the socket in the group; raises what the layer raises if the worker had
        to join it there and could not."""
        groups = self.joined[socket]
        if group in groups or self.failure is not None:
            return  # after a failure the socket finds OUTAGE in its inbox and closes
        if group not in self.members or self._stale(group):
            async with self._changing(group):
                if group not in self.members or self._stale(group):
                    await self.layer.group_add(group, self.channel_name)
                    self.added_at[group] = time.monotonic()
                    self.members.setdefault(group, set())
        self.members[group].add(socket)
        groups.add(group)

    # --- The layer -----------------------------------------------------------------

    async def _receive(self) -> None:
        try:
            while True:
                message = await self.layer.receive(self.channel_name)
                for socket in self.members.get(message.get("group"), ()):
                    socket.inbox.put_nowait(message)
        except Exception as exc:  # noqa: BLE001 - every socket is told, whatever the cause
            self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        self.failure = exc
        _forget(self)
        if isinstance(exc, RedisError):
            realtime.report_layer_failure(exc)
        else:
            logger.error("Live updates stopped: the channel layer failed", exc_info=exc)
        # The memberships on the layer are left to expire: nothing reads this channel now.
        self.members.clear()
        for socket in self.joined:
            socket.inbox.put_nowait({"type": OUTAGE})

    def _stop_if_idle(self) -> None:
        """With no socket left and no membership change in flight, the hub stops
        receiving; the loop's next socket starts a new one."""
        if self.joined or self._busy:
            return
        _forget(self)
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.channel_name = None

    def _stale(self, group: str) -> bool:
        return time.monotonic() - self.added_at.get(group, 0.0) > REFRESH_AFTER

    async def _leave(self, group: str) -> None:
        if self.failure is not None:
            return
        async with self._changing(group):
            # Someone may have joined again while this waited its turn.
            if group not in self.members and self.failure is None:
                self.added_at.pop(group, None)
                try:
                    await self.layer.group_discard(group, self.channel_name)
                except Exception:  # noqa: BLE001 - the membership expires on the layer by itself
                    logger.debug("Leaving %s failed", group, exc_info=True)

    @contextlib.asynccontextmanager
    async def _changing(self, group: str):
        """One change of a group's membership at a time (a discard overtaken by the add
        that follows it would leave the worker out of the group), and a bounded number
        of changes in flight."""
        entry = self._locks.setdefault(group, [asyncio.Lock(), 0])
        entry[1] += 1
        self._busy += 1
        try:
            async with entry[0], self._changes:
                yield
        finally:
            entry[1] -= 1
            if not entry[1]:
                del self._locks[group]
            self._busy -= 1
            self._stop_if_idle()


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()
_hubs_lock = threading.Lock()


def current() -> Hub:
    """The running event loop's hub, on the configured channel layer."""
    loop = asyncio.get_running_loop()
    layer = get_channel_layer()
    with _hubs_lock:
        hub = _hubs.get(loop)
        if hub is None or hub.layer is not layer:
            hub = _hubs[loop] = Hub(layer)
    return hub


def _forget(hub: Hub) -> None:
    with _hubs_lock:
        for loop, known in list(_hubs.items()):
            if known is hub:
                del _hubs[loop]
