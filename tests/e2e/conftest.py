"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server
(WSGI), or against ``asgi_live_server`` (uvicorn: HTTP and the /ws/live/ WebSocket) for
live updates.

Without Chromium they skip with a one-line reason, unless REQUIRE_BROWSER=1, where the
missing browser is a failure.
"""

import asyncio
import os
import shutil
import socket
import threading
import time
from dataclasses import dataclass

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            # One xdist worker runs all browser tests, so two Chromiums don't share 2 cores.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(autouse=True)
def _live_database(chromium, django_db_serialized_rollback, transactional_db, boards):
    """The live server runs in another thread: data must be committed for it to see it.
    Serialized rollback puts the migrations' rows (the boards) back for later tests.
    ``chromium`` comes first so a missing browser skips before any database work."""


@pytest.fixture(scope="session")
def chromium():
    """One browser for the session. Playwright's sync API keeps an event loop running on
    this thread while it is open, so async code in other tests of the same xdist worker
    runs on its own thread (see run_scenario in the live tests), and services called here
    do not send live events (forum.realtime notices the running loop)."""
    if not os.path.exists(CHROMIUM):
        message = f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(f"REQUIRE_BROWSER=1 but {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(chromium):
    """A fresh browser context (its own cookies). Pages run under the site's real
    Content-Security-Policy, and anything it refuses fails the test: a refusal means some
    script, style or resource of the page is broken for every visitor. A test that
    provokes refusals on purpose reads and empties ``context.csp_violations``."""
    from tests.e2e.browser import watch_csp

    contexts = []

    def make(**kwargs):
        kwargs.setdefault("viewport", {"width": 1200, "height": 900})
        context = chromium.new_context(**kwargs)
        context.set_default_timeout(10_000)
        context.csp_violations = watch_csp(context)
        contexts.append(context)
        return context

    yield make
    # Closing is a round trip to the browser, so every console report sent before it has
    # been delivered by the time the lists are read.
    for context in contexts:
        context.close()
    refused = [report for context in contexts for report in context.csp_violations]
    if refused:
        pytest.fail(
            "The Content-Security-Policy refused something on the page:\n" + "\n".join(refused)
        )


@pytest.fixture
def page(new_context):
    return new_context().new_page()


# --- An ASGI live server: pytest-django's live server speaks no WebSocket ----------------


class _SharedConnections:
    """Stands in for ``connections._connections`` (per-thread storage) so every thread —
    uvicorn's, each request's and each consumer's — uses the test's in-memory SQLite
    connection, as Django's own live server does; other aliases stay per thread."""

    def __init__(self, per_thread, shared: dict):
        object.__setattr__(self, "_per_thread", per_thread)
        object.__setattr__(self, "_shared", shared)

    def __getattr__(self, alias):
        if alias in self._shared:
            return self._shared[alias]
        return getattr(self._per_thread, alias)

    def __setattr__(self, alias, value):
        if alias in self._shared:
            self._shared[alias] = value
        else:
            setattr(self._per_thread, alias, value)

    def __delattr__(self, alias):
        if alias not in self._shared:
            delattr(self._per_thread, alias)


@dataclass
class AsgiLiveServer:
    url: str
    server: object
    loop: asyncio.AbstractEventLoop

    def __str__(self) -> str:
        return self.url

    def call(self, function, /, *args, **kwargs):
        """Run ``function`` (a service call, say) as the server's own code would: in a
        worker thread of the server's event loop, so the events it sends after commit
        reach the consumers through the same channel layer and loop as a request's."""
        from asgiref.sync import sync_to_async
        from django.db import connections

        def run():
            try:
                return function(*args, **kwargs)
            finally:
                connections.close_all()

        future = asyncio.run_coroutine_threadsafe(
            sync_to_async(run, thread_sensitive=False)(), self.loop
        )
        return future.result(timeout=30)


@pytest.fixture
def asgi_live_server(transactional_db):
    """``config.asgi:application`` under uvicorn in a thread of this process, sharing the
    test database and the channel layer (in memory, or Redis with REDIS_URL), with static
    files served as the WSGI live server does. ``.url`` like ``live_server``; ``.call(fn,
    ...)`` runs a write whose live events must reach open pages."""
    import uvicorn
    from channels.routing import ProtocolTypeRouter
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application
    from django.db import connections

    from config.asgi import application as porchlight
    from forum import live

    # Renders are cached per process by (post id, version, viewer kind); flushing the test
    # database hands out the same ids again, so a fragment from an earlier test must go.
    live._fragments.items.clear()

    app = ProtocolTypeRouter(
        {"http": ASGIStaticFilesHandler(get_asgi_application()), "websocket": porchlight}
    )

    shared = {}
    for conn in connections.all():
        if conn.vendor == "sqlite" and conn.is_in_memory_db():
            conn.inc_thread_sharing()
            shared[conn.alias] = conn
    per_thread = connections._connections
    if shared:
        connections._connections = _SharedConnections(per_thread, shared)

    class Server(uvicorn.Server):
        loop = None

        async def startup(self, sockets=None):
            self.loop = asyncio.get_running_loop()
            await super().startup(sockets=sockets)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        timeout_graceful_shutdown=2,
    )
    server = Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="asgi-live-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("The ASGI live server did not start.")
        time.sleep(0.02)
    try:
        yield AsgiLiveServer(url=f"http://127.0.0.1:{port}", server=server, loop=server.loop)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
        if shared:
            connections._connections = per_thread
            for conn in shared.values():
                conn.dec_thread_sharing()
