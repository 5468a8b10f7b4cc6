"""A real HTTP receiver for webhooks on 127.0.0.1, in a thread, on a free port.

It records every request as it arrived (method, path, headers, raw body) and answers what
the test programs: a status code per request in order (``respond(500, 200)``), then the
default (200). ``hang()`` makes it accept the connection and never answer, as a stuck
receiver does, until ``release()`` (called in the fixture's finaliser)."""

import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST = "127.0.0.1"


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def json(self):
        return json.loads(self.body)


class _Handler(BaseHTTPRequestHandler):
    server: "WebhookReceiver._Server"

    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        receiver = self.server.receiver
        with receiver._lock:
            receiver._requests.append(
                Request(
                    self.command,
                    self.path,
                    {name.lower(): value for name, value in self.headers.items()},
                    body,
                )
            )
            status = receiver._responses.pop(0) if receiver._responses else receiver.default
        if receiver._hanging.is_set():
            receiver._release.wait(timeout=30)
            return
        payload = receiver.answer_body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(payload)))
        if 300 <= status < 400:
            self.send_header("Location", receiver.redirect_to)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):  # quiet: the test reads .requests
        pass


class WebhookReceiver:
    class _Server(ThreadingHTTPServer):
        daemon_threads = True
        receiver: "WebhookReceiver"

    def __init__(self):
        self._server = self._Server((HOST, 0), _Handler)
        self._server.receiver = self
        self.port = self._server.server_address[1]
        self.url = f"http://{HOST}:{self.port}/hook"
        self.default = 200
        self.answer_body = "ok"
        self.redirect_to = ""
        self._responses: list[int] = []
        self._requests: list[Request] = []
        self._lock = threading.Lock()
        self._hanging = threading.Event()
        self._release = threading.Event()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    def respond(self, *statuses: int) -> None:
        """Answer the next requests with these statuses, in order, then the default."""
        with self._lock:
            self._responses.extend(statuses)

    def hang(self) -> None:
        self._hanging.set()

    def release(self) -> None:
        self._hanging.clear()
        self._release.set()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextmanager
def running_receiver(settings):
    """A running receiver, for a test module's fixture; private targets are allowed so
    the forum may send to it."""
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    receiver = WebhookReceiver()
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()
