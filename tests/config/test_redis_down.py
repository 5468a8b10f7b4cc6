"""When Redis goes away the site keeps working, says so once, and picks up again by itself.

The cache (config.cache.ResilientRedisCache) and the channel layer (channels_redis) are the
real ones, pointed at a port where nothing listens, at a server that accepts connections
but never answers, and — for the recovery — back at the real Redis.
"""

import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

import config.cache
from config import settings as base_settings
from forum import realtime
from forum.consumers import LiveConsumer
from forum.models import Post, Thread
from moderation.models import Block
from tests.conftest import PASSWORD
from tests.threads import run_together

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"
LIVE_REDIS_URL = "redis://127.0.0.1:6379/14"


def redis_settings(url: str) -> tuple[dict, dict]:
    """CACHES and CHANNEL_LAYERS as config/settings.py builds them when REDIS_URL is set,
    with prefixes of their own so nothing here touches another test's keys."""
    prefix = f"redis-down-{uuid.uuid4().hex[:8]}"
    caches = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            "FALLBACK": "fallback",
        },
        "fallback": {
            "BACKEND": "config.cache.DatabaseFallbackCache",
            "LOCATION": "porchlight_outage_cache",
            "KEY_PREFIX": prefix,
        },
    }
    layers = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": url, "socket_connect_timeout": 0.5, "socket_timeout": 10}],
                "prefix": prefix,
            },
        }
    }
    return caches, layers


def point_redis_at(settings, url: str) -> None:
    settings.CACHES, settings.CHANNEL_LAYERS = redis_settings(url)


@pytest.fixture
def redis_down(settings, monkeypatch):
    """Cache and channel layer on a closed port, with production's allauth rate limits
    (they use the cache too) and neither module remembering an earlier outage. Every cache
    call tries Redis (no pause between attempts), so "logged once" is the flag's doing."""
    monkeypatch.setattr(config.cache, "_failing", False)
    monkeypatch.setattr(config.cache, "_skip_until", 0.0)
    monkeypatch.setattr(config.cache.ResilientRedisCache, "retry_interval", 0)
    monkeypatch.setattr(realtime, "_failing", False)
    settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS
    point_redis_at(settings, CLOSED_PORT_URL)
    yield settings
    # Forget the outage before the real cache is back (monkeypatch is undone later):
    # otherwise the autouse cache.clear() would go to the database stand-in after the
    # test's database access has ended.
    config.cache._failing = False
    config.cache._skip_until = 0.0


def outage_lines(caplog) -> dict[str, list[str]]:
    lines = {"cache": [], "layer": []}
    for record in caplog.records:
        if record.name == "porchlight.cache":
            lines["cache"].append(record.getMessage())
        elif record.name == "porchlight.realtime":
            lines["layer"].append(record.getMessage())
    return lines


def submission_key(response) -> str:
    return re.search(r'name="submission_key" value="(\w+)"', response.content.decode()).group(1)


def _environ_without_django() -> dict[str, str]:
    ignored = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    return {k: v for k, v in os.environ.items() if k not in ignored}


def test_production_settings_use_the_resilient_cache_and_short_timeouts():
    code = (
        "from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND']); "
        "print(s.CACHES['default']['OPTIONS']); "
        "print(s.CHANNEL_LAYERS['default']['CONFIG']['hosts'][0])"
    )
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", "REDIS_URL": "redis://redis.invalid:6379/0"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**_environ_without_django(), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    backend, options, host = result.stdout.strip().splitlines()[-3:]
    assert backend == "config.cache.ResilientRedisCache"
    assert "'socket_connect_timeout': 0.5" in options and "'socket_timeout': 0.5" in options
    assert "'address': 'redis://redis.invalid:6379/0'" in host
    assert "'socket_connect_timeout': 0.5" in host


def test_reads_sign_in_posting_and_moderation_work_while_redis_is_down(
    # The data exists before Redis goes away (writing it reads the cache: keyword watches).
    client,
    member,
    moderator,
    other_member,
    thread,
    guidelines,
    redis_down,
    caplog,
    django_capture_on_commit_callbacks,
):
    caplog.set_level("WARNING")
    # Visitors read.
    for path in ("/", "/b/help/", f"/t/{thread.pk}/"):
        assert client.get(path).status_code == 200, path

    # A member signs in through allauth (whose rate limits live in the cache)...
    response = client.post(reverse("account_login"), {"login": "jamie", "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    assert client.get("/").context["user"] == member

    # ...replies and starts a thread; the live events are sent after commit and fail.
    key = submission_key(client.get(f"/t/{thread.pk}/"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/t/{thread.pk}/reply/", {"body": "Still here without Redis", "submission_key": key}
        )
    assert response.status_code == 302
    reply = Post.objects.get(thread=thread, position=2)
    assert reply.body == "Still here without Redis"

    key = submission_key(client.get("/b/help/new/"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/b/help/new/",
            {"title": "Started while Redis was down", "body": "Works.", "submission_key": key},
        )
    assert response.status_code == 302
    started = Thread.objects.get(title="Started while Redis was down")
    assert response["Location"] == f"/t/{started.pk}/"

    # A moderator signs in, hides the reply and blocks its author.
    moderator_client = type(client)()
    response = moderator_client.post(
        reverse("account_login"), {"login": "morgan", "password": PASSWORD}
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            f"/p/{reply.pk}/hide/", {"rules": ["G3"], "note": "Hidden while Redis was down."}
        )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.is_hidden
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            f"/moderation/members/{member.pk}/block/",
            {"duration": "1d", "rules": ["G3"], "reason": "Testing without Redis."},
        )
    assert response.status_code == 302
    assert Block.objects.filter(member=member).exists()

    # Pages still render for everyone afterwards.
    for path in ("/", f"/t/{thread.pk}/", f"/t/{started.pk}/"):
        assert client.get(path).status_code == 200, path
        assert moderator_client.get(path).status_code == 200, path

    # Every cache call and every send failed, yet each outage is logged exactly once.
    lines = outage_lines(caplog)
    assert len(lines["cache"]) == 1, lines["cache"]
    assert lines["cache"][0].startswith("Cache unavailable: Redis is unreachable")
    assert len(lines["layer"]) == 1, lines["layer"]
    assert lines["layer"][0].startswith("Live updates paused")
    assert config.cache.cache_is_failing() and realtime.layer_is_failing()


def _live_redis_url() -> str:
    url = getattr(django_settings, "WORKER_REDIS_URL", "") or LIVE_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping()
    except (redis.exceptions.RedisError, OSError) as exc:
        pytest.skip(f"no Redis answering at {url} to come back to ({exc.__class__.__name__})")
    return url


def test_cache_and_live_updates_resume_by_themselves_when_redis_returns(
    member, thread, redis_down, caplog
):
    caplog.set_level("WARNING")
    live_url = _live_redis_url()
    group = realtime.thread_group(thread.pk)
    event = {"type": "forum.thread_changed", "thread_id": thread.pk}

    assert cache.get("budget", 0) == 0
    assert realtime.send_event_now(group, event) is False
    assert cache.get("budget", 0) == 0  # still down: not logged again
    assert realtime.send_event_now(group, event) is False

    point_redis_at(redis_down, live_url)  # Redis is back
    assert realtime.send_event_now(group, event) is True
    cache.set("budget", 3, timeout=30)
    assert cache.get("budget", 0) == 3
    cache.delete("budget")
    assert realtime.send_event_now(group, event) is True

    lines = outage_lines(caplog)
    assert lines["cache"] == [
        lines["cache"][0],
        "Cache resumed: Redis is reachable again.",
    ]
    assert lines["cache"][0].startswith("Cache unavailable")
    assert lines["layer"] == [
        lines["layer"][0],
        "Live updates resumed: the channel layer is reachable again.",
    ]
    assert lines["layer"][0].startswith("Live updates paused")
    assert not config.cache.cache_is_failing() and not realtime.layer_is_failing()


@pytest.fixture
def silent_redis():
    """A "Redis" that accepts connections and never answers (a hung server). Connections
    wait in the listen backlog; ``attempts()`` accepts them all and says how many came."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.setblocking(False)
    accepted = []

    def attempts() -> int:
        while True:
            try:
                accepted.append(server.accept()[0])
            except BlockingIOError:
                return len(accepted)

    url = f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    yield url, attempts
    for conn in accepted:
        conn.close()
    server.close()


def test_a_redis_that_never_answers_holds_a_reply_for_seconds_not_forever(
    client,
    other_member,
    thread,
    redis_down,
    silent_redis,
    caplog,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """Without the deadlines a hung Redis would hold every reply for the channel layer's
    10 s read timeout, and every cache call for its own."""
    caplog.set_level("WARNING")
    url, attempts = silent_redis
    point_redis_at(redis_down, url)
    monkeypatch.setattr(config.cache.ResilientRedisCache, "retry_interval", 60)
    client.force_login(other_member)

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/t/{thread.pk}/reply/", {"body": "Hung Redis", "submission_key": "hung-1"}
        )
        assert response.status_code == 302
        # The cache gave up after its 0.5 s read timeout and, within the retry interval,
        # is not asked again however many calls follow.
        assert attempts() == 1
        for n in range(5):
            assert cache.get("anything", "default") == "default"
            assert cache.add(f"lock:{n}", True) is True
        assert attempts() == 1
    # After commit the thread author's new unread count was tried once and given up at
    # realtime.SEND_TIMEOUT, then the reply's live event likewise.
    elapsed = time.monotonic() - started
    assert attempts() == 3
    assert elapsed < 6, f"a reply took {elapsed:.1f} s against a hung Redis"
    assert Post.objects.filter(thread=thread, body="Hung Redis").exists()
    lines = outage_lines(caplog)
    assert len(lines["cache"]) == 1 and "Timeout" in lines["cache"][0]
    assert len(lines["layer"]) == 1 and "TimeoutError" in lines["layer"][0]


def run_scenario(scenario):
    """An async scenario on its own loop in its own thread (as tests/forum/test_live_consumer
    does: a browser test may have left Playwright's loop on the main thread)."""
    outcome: dict = {}

    def target():
        try:
            outcome["result"] = asyncio.run(scenario())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            outcome["error"] = exc

    worker = threading.Thread(target=target)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "the scenario did not finish in 60 s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


async def open_socket_until_closed() -> list[dict]:
    """What the server sends a page that opens /ws/live/, until it closes the socket."""
    communicator = WebsocketCommunicator(LiveConsumer.as_asgi(), "/ws/live/")
    communicator.scope["user"] = AnonymousUser()
    await communicator.send_input({"type": "websocket.connect"})
    sent = []
    while not sent or sent[-1]["type"] != "websocket.close":
        sent.append(await communicator.receive_output(timeout=5))
    return sent


# The consumer closes stale database connections between events (channels does, on the
# executor's threads), which may hold one from an earlier test on this worker.
@pytest.mark.django_db
def test_open_sockets_close_with_1011_and_the_outage_is_logged_once(redis_down, caplog):
    """Every open page's socket waits on the channel layer; when Redis is gone each one is
    closed with 1011 (the page reconnects with back-off) instead of crashing with a
    traceback per socket."""
    caplog.set_level("WARNING")

    async def three_pages():
        return await asyncio.gather(*(open_socket_until_closed() for _ in range(3)))

    for sent in run_scenario(three_pages):
        assert sent[-1] == {"type": "websocket.close", "code": 1011}
    lines = outage_lines(caplog)
    assert len(lines["layer"]) == 1 and lines["layer"][0].startswith("Live updates paused")
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


# The consumer closes stale database connections between events (channels does, on the
# executor's threads), which may hold one from an earlier test on this worker.
@pytest.mark.django_db
def test_a_page_subscribes_again_once_redis_is_back(redis_down, caplog):
    caplog.set_level("WARNING")
    live_url = _live_redis_url()
    run_scenario(open_socket_until_closed)  # Redis is down: closed with 1011
    point_redis_at(redis_down, live_url)

    async def reconnect():
        communicator = WebsocketCommunicator(LiveConsumer.as_asgi(), "/ws/live/")
        communicator.scope["user"] = AnonymousUser()
        connected, _ = await communicator.connect(timeout=5)
        assert connected
        await communicator.send_json_to({"action": "subscribe", "stream": "notices"})
        reply = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return reply

    assert run_scenario(reconnect) == {"type": "subscribed", "stream": "notices"}
    assert outage_lines(caplog)["layer"][1:] == [
        "Live updates resumed: the channel layer is reachable again."
    ]


# --- Rate limits during the outage ------------------------------------------------------
# While Redis is unreachable the counters live in the database cache (config.cache's
# fallback), so every limit still refuses past its budget. Budgets are small here so the
# tests stay short; the sign-in limits are production's.


def limits_hold_without_redis(settings, *, member, thread, capture):
    settings.FORUM_WRITE_RATE = "3/h"
    settings.FORUM_CONTACT_RATE = "2/h"
    settings.ACCOUNT_RATE_LIMITS = {**base_settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    # Writes: the member's replies, counted after commit.
    client = Client()
    client.force_login(member)
    statuses = []
    for n in range(4):
        with capture(execute=True):
            response = client.post(
                f"/t/{thread.pk}/reply/",
                {"body": f"Reply {n} without Redis", "submission_key": f"down-{n}"},
            )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 302, 403]
    assert "posting faster than we allow" in response.content.decode()

    # The contact form: a visitor's messages from one address.
    message = {
        "topic": "account",
        "name": "Vee",
        "email": "vee@example.org",
        "subject": "Locked out",
        "body": "I changed phones and lost my codes.",
        "website": "",
    }
    statuses = []
    for _ in range(3):
        with capture(execute=True):
            response = Client().post("/help/", message, REMOTE_ADDR="198.51.100.30")
        statuses.append(response.status_code)
    assert statuses == [302, 302, 429]

    # Failed sign-ins: five wrong passwords for one name, then even the right one waits.
    answers = []
    for password in ["guess"] * 6 + [PASSWORD]:
        response = Client().post(
            reverse("account_login"), {"login": member.username, "password": password}
        )
        html = response.content.decode()
        answers.append("too many" if "Too many failed login attempts" in html else "wrong")
    assert answers == ["wrong"] * 5 + ["too many"] * 2

    # Sign-ups from one address.
    statuses = []
    for n in range(3):
        response = Client().post(
            reverse("account_signup"),
            {
                "email": f"newcomer{n}@example.com",
                "username": f"newcomer{n}",
                "password1": "a long enough passphrase",
                "password2": "a long enough passphrase",
            },
            REMOTE_ADDR="198.51.100.31",
        )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 429]


def test_rate_limits_refuse_past_their_budgets_while_redis_is_down(
    member, thread, redis_down, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level("WARNING")
    limits_hold_without_redis(
        redis_down, member=member, thread=thread, capture=django_capture_on_commit_callbacks
    )
    assert config.cache.cache_is_failing()
    lines = outage_lines(caplog)["cache"]
    assert len(lines) == 1 and "rate limits are counted in the database" in lines[0]


@pytest.fixture
def own_redis():
    """A redis-server of the test's own on a free port, stopped by its pid."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1"]
        + ["--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except (redis.exceptions.RedisError, OSError):
            assert process.poll() is None, "redis-server exited"
            assert time.monotonic() < deadline, "redis-server did not answer in 10 s"
            time.sleep(0.05)

    def stop():
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)

    yield url, client, stop
    stop()


def test_rate_limits_hold_when_a_running_redis_stops(
    member, thread, redis_down, own_redis, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level("WARNING")
    url, redis_client, stop = own_redis
    point_redis_at(redis_down, url)
    redis_down.FORUM_WRITE_RATE = "3/h"
    client = Client()
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/t/{thread.pk}/reply/", {"body": "Before the outage", "submission_key": "up-1"}
        )
    assert response.status_code == 302
    assert redis_client.keys("*forum:writes*")  # counted in Redis
    assert not config.cache.cache_is_failing()

    stop()  # Redis goes away mid-window: the database counts from here on
    limits_hold_without_redis(
        redis_down, member=member, thread=thread, capture=django_capture_on_commit_callbacks
    )
    assert config.cache.cache_is_failing()


def at_once(n: int, call) -> list:
    """``call()`` from ``n`` threads released together, each on its own database
    connection (as separate worker processes would be)."""
    results, errors = run_together(*[call] * n)
    assert errors == [None] * n, errors
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_stand_in_counts_and_locks_exactly_across_connections():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent connections with row locks")
    stand_in = config.cache.DatabaseFallbackCache(
        "porchlight_outage_cache", {"KEY_PREFIX": f"stand-in-{uuid.uuid4().hex[:8]}"}
    )

    def count():
        stand_in.add("counter", 0, timeout=60)
        return stand_in.incr("counter")

    assert sorted(at_once(20, count)) == list(range(1, 21))
    assert stand_in.get("counter") == 20

    # A lock (allauth's) is taken by exactly one of many, also over an expired one.
    assert at_once(20, lambda: stand_in.add("lock", True, timeout=60)).count(True) == 1
    stand_in.set("lock", True, timeout=-1)  # expired
    assert at_once(20, lambda: stand_in.add("lock", True, timeout=60)).count(True) == 1
    with pytest.raises(ValueError):
        stand_in.incr("missing")


# The worker's sockets share one channel on the layer (forum.live_hub): its receive is how
# every one of them learns of an outage, and a socket opened after it starts a new one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sockets_sharing_a_channel_all_close_with_1011_and_the_next_one_hears_events(
    thread, other_member, redis_down, own_redis, caplog
):
    caplog.set_level("WARNING")
    url, _, stop = own_redis
    point_redis_at(redis_down, url)
    live_url = _live_redis_url()
    event = {"type": "forum.thread_changed", "thread_id": thread.pk}

    async def connect(subscribe: bool) -> WebsocketCommunicator:
        communicator = WebsocketCommunicator(LiveConsumer.as_asgi(), "/ws/live/")
        communicator.scope["user"] = AnonymousUser()
        connected, _ = await communicator.connect(timeout=5)
        assert connected
        if subscribe:
            await communicator.send_json_to({"action": "subscribe", "thread": thread.pk})
            assert (await communicator.receive_json_from(timeout=5))["type"] == "subscribed"
        return communicator

    async def scenario():
        pages = [await connect(subscribe=n < 2) for n in range(3)]
        assert await database_sync_to_async(realtime.send_event_now)(
            realtime.thread_group(thread.pk), event
        )
        for page in pages[:2]:
            assert (await page.receive_json_from(timeout=5))["type"] == "thread.changed"
        stop()  # Redis goes away under the open pages
        closed = [await page.receive_output(timeout=10) for page in pages]
        point_redis_at(redis_down, live_url)  # and comes back (another Redis)
        again = await connect(subscribe=True)
        assert await database_sync_to_async(realtime.send_event_now)(
            realtime.thread_group(thread.pk), event
        )
        received = await again.receive_json_from(timeout=5)
        await again.disconnect()
        return closed, received

    closed, received = run_scenario(scenario)
    assert closed == [{"type": "websocket.close", "code": 1011}] * 3
    assert received == {"type": "thread.changed", "thread": thread.pk, "board": None}
    lines = outage_lines(caplog)["layer"]
    assert len(lines) == 2 and lines[0].startswith("Live updates paused"), lines
    assert lines[1] == "Live updates resumed: the channel layer is reachable again."
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
