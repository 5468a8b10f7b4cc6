"""Two ASGI server processes sharing PostgreSQL and Redis: a reply posted through process A
reaches a WebSocket connected to process B within a second.

The processes are started by config.serve_workers (what `make serve-workers` runs) against
this test's own database and Redis database, so they see the rows the test commits.
"""

import http.client
import json
import os
import re
import socket
import time
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from websockets.sync.client import connect

from config.serve_workers import start_worker, stop_workers, wait_until_answering
from forum.models import Post

HOST = "127.0.0.1"

pytestmark = [
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
        or not django_settings.REDIS_URL,
        reason="needs DATABASE_URL on PostgreSQL and REDIS_URL (the Postgres + Redis pass)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def shared_database_url() -> str:
    """The test database, committed rows and all (transaction=True)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or HOST}:{db['PORT'] or 5432}/{db['NAME']}"


def layer_redis_url() -> str:
    host = django_settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]
    return host["address"] if isinstance(host, dict) else host


def worker_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
        and k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DB_POOL_SIZE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "true",
            "SECRET_KEY": django_settings.SECRET_KEY,
            "DATABASE_URL": shared_database_url(),
            "REDIS_URL": layer_redis_url(),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def request(port, method, path, *, cookies=None, body=None, headers=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    sent = dict(headers or {})
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read().decode()
    finally:
        conn.close()


def set_cookies(headers) -> dict[str, str]:
    jar = SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    return {key: morsel.value for key, morsel in jar.items()}


def receive_until(ws, predicate, *, timeout: float):
    """Messages until one matches (returned with the moment it arrived); bounded."""
    deadline = time.monotonic() + timeout
    seen = []
    while (left := deadline - time.monotonic()) > 0:
        try:
            raw = ws.recv(timeout=left)
        except TimeoutError:
            break
        arrived = time.monotonic()
        message = json.loads(raw)
        if predicate(message):
            return message, arrived
        seen.append(message)
    raise AssertionError(f"no matching message within {timeout} s; got {seen}")


def tail(path) -> str:
    return path.read_text()[-3000:] if path.exists() else ""


def test_reply_posted_through_process_a_reaches_a_websocket_on_process_b_within_a_second(
    member, thread, tmp_path
):
    session = Client()
    session.force_login(member)
    sessionid = session.cookies["sessionid"].value

    ports = {"A": free_port(), "B": free_port()}
    logs = {name: tmp_path / f"worker-{name}.log" for name in ports}
    env = worker_env()
    workers = {}
    outputs = {name: logs[name].open("w") for name in ports}
    try:
        for name, port in ports.items():
            workers[port] = start_worker(port, env=env, output=outputs[name])
        wait_until_answering(workers, timeout=90)
        a, b = ports["A"], ports["B"]
        thread_path = f"/t/{thread.pk}/"

        # Through A, as the member: the reply form, its CSRF token and submission key.
        status, headers, page = request(a, "GET", thread_path, cookies={"sessionid": sessionid})
        assert status == 200, page[:500]
        cookies = {"sessionid": sessionid, **set_cookies(headers)}
        form = {
            name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1)
            for name in ("csrfmiddlewaretoken", "submission_key")
        }
        # B renders the thread once, as any page view would before a reply arrives.
        assert request(b, "GET", thread_path)[0] == 200

        with connect(
            f"ws://{HOST}:{b}/ws/live/",
            origin=f"http://{HOST}:{b}",
            proxy=None,
            open_timeout=10,
            close_timeout=2,
        ) as ws:
            # The client offers permessage-deflate as browsers do; the workers decline it.
            assert "Sec-WebSocket-Extensions" not in ws.response.headers
            ws.send(json.dumps({"action": "subscribe", "thread": thread.pk}))
            receive_until(
                ws,
                lambda m: m == {"type": "subscribed", "thread": thread.pk},
                timeout=10,
            )

            body = urlencode({**form, "body": "Reply posted through **process A**"})
            status, headers, text = request(
                a,
                "POST",
                f"/t/{thread.pk}/reply/",
                cookies=cookies,
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://{HOST}:{a}{thread_path}",
                },
            )
            posted = time.monotonic()
            assert status == 302, text[:500]

            event, arrived = receive_until(ws, lambda m: m["type"] == "post.created", timeout=5)

        reply = Post.objects.get(thread=thread, position=2)
        assert (event["thread"], event["post"], event["position"]) == (thread.pk, reply.pk, 2)
        assert "Reply posted through <strong>process A</strong>" in event["html"]
        latency = arrived - posted
        assert latency < 1.0, f"B received the reply {latency:.2f} s after A answered the POST"
    except BaseException:
        for name in ports:
            print(f"--- worker {name} log ---\n{tail(logs[name])}")
        raise
    finally:
        stop_workers(workers)
        for output in outputs.values():
            output.close()
