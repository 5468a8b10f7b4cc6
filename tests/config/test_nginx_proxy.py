"""The nginx configuration in config/nginx/porchlight.conf, run for real: Debian's nginx on
127.0.0.1 with TLS, in front of two uvicorn processes serving the production settings.
Without nginx these skip with a one-line reason, unless REQUIRE_BROWSER=1 or CI is set
(as in .ci/run, which installs it), where a missing nginx fails."""

import gzip
import http.client
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from websockets.sync.client import connect as ws_connect

from config import nginx
from tests.pg_cluster import free_port
from tests.site_process import ROOT, Process, site_env, start_site

REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1" or bool(os.environ.get("CI"))

pytestmark = pytest.mark.xdist_group("nginx")


def _require_nginx() -> None:
    if Path(nginx.NGINX).is_file() and Path(nginx.MIME_TYPES).is_file():
        return
    message = f"nginx is not installed ({nginx.NGINX}): apt-get install nginx"
    if REQUIRED:
        pytest.fail(f"REQUIRE_BROWSER=1 or CI but {message}")
    pytest.skip(message)


def _wait_listening(port: int, process: Process, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if not process.alive():
            raise RuntimeError(f"nginx exited early:\n{process.text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not listen:\n{process.text()}") from None
            time.sleep(0.1)


class Proxied:
    def __init__(self, https_port: int, http_port: int, static_root: Path):
        self.https_port = https_port
        self.http_port = http_port
        self.static_root = static_root
        self.tls = ssl.create_default_context()
        self.tls.check_hostname = False
        self.tls.verify_mode = ssl.CERT_NONE

    def request(self, method: str, path: str, *, body: bytes | None = None, headers=None):
        conn = http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, context=self.tls, timeout=30
        )
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    _require_nginx()
    work = tmp_path_factory.mktemp("nginx-proxy")
    static_root = work / "static"
    env = site_env(
        settings="config.settings",
        database_url=f"sqlite:///{work / 'site.sqlite3'}",
        status_dir=work / "status",
        DEBUG="false",
        SECRET_KEY="nginx-proxy-test-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(work / "media"),
    )
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300
        )

    processes: list[Process] = []
    try:
        upstreams = []
        for n in range(2):
            process, base = start_site(env, work / f"uvicorn-{n}.log")
            processes.append(process)
            upstreams.append(base.removeprefix("http://"))
        https_port, http_port = free_port(), free_port()
        cert, key = nginx.self_signed_certificate(work)
        site = nginx.render(
            upstreams=upstreams,
            http_listen=f"127.0.0.1:{http_port}",
            https_listen=f"127.0.0.1:{https_port}",
            server_name="127.0.0.1",
            certificate=cert,
            certificate_key=key,
            static_root=static_root,
        )
        prefix = work / "nginx"
        conf = nginx.standalone_conf(prefix, site)
        check = subprocess.run(
            [nginx.NGINX, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stderr
        proxy = Process(nginx.command(prefix, conf), env, work / "nginx.log")
        processes.append(proxy)
        _wait_listening(https_port, proxy)
        yield Proxied(https_port, http_port, static_root)
    finally:
        for process in reversed(processes):
            process.stop()


def test_a_page_through_nginx_is_gzip_encoded(proxied):
    status, headers, body = proxied.request("GET", "/", headers={"Accept-Encoding": "gzip"})

    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "</html>" in gzip.decompress(body).decode()


def test_plain_http_redirects_to_https(proxied):
    conn = http.client.HTTPConnection("127.0.0.1", proxied.http_port, timeout=30)
    try:
        conn.request("GET", "/search/?q=lamp")
        response = conn.getresponse()
        assert response.status == 301
        assert response.headers["Location"] == "https://127.0.0.1/search/?q=lamp"
    finally:
        conn.close()


def test_static_files_come_from_nginx_hashed_compressed_and_cached_for_a_year(proxied):
    _, _, page = proxied.request("GET", "/")
    url = re.search(r'href="(/static/css/porchlight\.[0-9a-f]{12}\.css)"', page.decode())
    assert url, "the page links no hashed stylesheet"

    status, headers, body = proxied.request(
        "GET", url.group(1), headers={"Accept-Encoding": "gzip"}
    )

    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    on_disk = proxied.static_root / url.group(1).removeprefix("/static/")
    assert gzip.decompress(body) == on_disk.read_bytes()


def test_an_unhashed_static_name_is_not_cached_for_a_year(proxied):
    status, headers, _ = proxied.request("GET", "/static/css/porchlight.css")

    assert status == 200
    assert "immutable" not in headers.get("Cache-Control", "")
    assert "max-age=3600" in headers["Cache-Control"]


def test_a_websocket_connects_through_nginx_and_hears_back(proxied):
    url = f"wss://127.0.0.1:{proxied.https_port}/ws/live/"
    origin = f"https://127.0.0.1:{proxied.https_port}"
    with ws_connect(url, ssl=proxied.tls, origin=origin, open_timeout=30) as socket_:
        socket_.send(json.dumps({"action": "subscribe", "stream": "notices"}))
        message = json.loads(socket_.recv(timeout=30))

    assert message == {"type": "subscribed", "stream": "notices"}


def test_django_sees_the_https_the_visitor_used(proxied):
    # Absolute links in the feed are built from request.is_secure() and the host.
    status, _, body = proxied.request(
        "GET", "/search/feed/rss/?q=lamp", headers={"X-Forwarded-Proto": "http"}
    )

    assert status == 200
    text = body.decode()
    assert "<link>https://127.0.0.1/search/" in text, text[:600]
    assert "http://127.0.0.1" not in text


def test_an_oversized_body_gets_413_with_a_page_a_person_can_read(proxied):
    status, headers, body = proxied.request(
        "POST",
        "/help/",
        body=b"message=" + b"a" * (7 * 1024 * 1024),  # over the 6m an image upload needs
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert status == 413
    assert headers["Content-Type"].startswith("text/html")
    assert "too much to send at once" in body.decode()
