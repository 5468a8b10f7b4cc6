"""Akismet through the ``akismet`` package against a fake Akismet on 127.0.0.1: its
verdict joins the score with a reason; an error, a bad answer or a timeout changes
nothing but its absence (the local filter decides) and is logged once per outage."""

import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from moderation.spam import akismet as spam_akismet
from moderation.spam.scoring import spam_score

pytestmark = pytest.mark.django_db

PLAIN = {
    "title": "Export stops halfway",
    "body": "The export stops halfway through and the file is empty when it finishes.",
    "author_age_days": 0,
    "author_posts": 0,
}


class FakeAkismet(ThreadingHTTPServer):
    """Answers comment-check as told by ``mode``: "spam", "ham", "discard", "error"
    (HTTP 500), "garbage" (200 with an unknown body) or "hang" (no answer until the test
    ends, so the client times out)."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "ham"
        self.requests = []
        self.release = threading.Event()


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        server = self.server
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        server.requests.append({"path": self.path, "form": form, "host": self.headers["Host"]})
        mode = server.mode
        if mode == "hang":
            server.release.wait(timeout=10)
            return
        status, body, headers = 200, "false", {}
        if mode == "spam":
            body = "true"
        elif mode == "discard":
            body, headers = "true", {"X-akismet-pro-tip": "discard"}
        elif mode == "error":
            status, body = 500, "Internal Server Error"
        elif mode == "garbage":
            body = "maybe"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_akismet(settings):
    server = FakeAkismet()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.AKISMET_API_KEY = "test-key"
    settings.AKISMET_BLOG_URL = "https://forum.example"
    settings.AKISMET_ENDPOINT = f"http://127.0.0.1:{server.server_address[1]}"
    settings.AKISMET_TIMEOUT = 0.5
    spam_akismet.outage.down = False
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    spam_akismet.outage.down = False


def check(**extra):
    return spam_score(**{**PLAIN, "ip": "203.0.113.9", "user_agent": "Bot/1.0", **extra})


def test_akismet_is_not_asked_without_a_key(fake_akismet, settings):
    settings.AKISMET_API_KEY = ""
    check()
    assert fake_akismet.requests == []


def test_akismet_receives_the_post_author_ip_and_user_agent(fake_akismet, member):
    check(author=member)
    (request,) = fake_akismet.requests
    assert request["path"] == "/1.1/comment-check"
    form = request["form"]
    assert form["api_key"] == "test-key"
    assert form["blog"] == "https://forum.example"
    assert form["user_ip"] == "203.0.113.9"
    assert form["user_agent"] == "Bot/1.0"
    assert form["comment_type"] == "forum-post"
    assert form["comment_content"] == f"{PLAIN['title']}\n\n{PLAIN['body']}"
    assert form["comment_author"] == member.username


def test_akismet_spam_raises_the_score_with_its_reason(fake_akismet):
    fake_akismet.mode = "ham"
    ham = check()
    fake_akismet.mode = "spam"
    spam = check()
    assert spam.score > ham.score
    assert "Akismet says this is spam." in spam.reasons
    assert "Akismet says this is not spam." in ham.reasons


def test_akismet_discard_counts_more_than_spam(fake_akismet):
    fake_akismet.mode = "spam"
    spam = check()
    fake_akismet.mode = "discard"
    discard = check()
    assert discard.score > spam.score
    assert "Akismet says this is blatant spam." in discard.reasons


def test_use_akismet_false_skips_it(fake_akismet):
    spam_score(**PLAIN, use_akismet=False)
    assert fake_akismet.requests == []


@pytest.mark.parametrize("mode", ["error", "garbage", "hang"])
def test_an_akismet_failure_falls_back_to_the_local_filter(fake_akismet, mode):
    local = spam_score(**PLAIN, use_akismet=False)
    fake_akismet.mode = mode
    verdict = check()
    assert fake_akismet.requests  # it was asked
    assert verdict == local
    assert not any("Akismet" in reason for reason in verdict.reasons)


def test_an_outage_is_logged_once_and_its_end_once(fake_akismet, caplog):
    caplog.set_level(logging.WARNING, logger="moderation.spam.akismet")
    fake_akismet.mode = "error"
    for _ in range(3):
        check()
    fake_akismet.mode = "hang"
    check()
    down = [r for r in caplog.records if "unavailable" in r.getMessage()]
    assert len(down) == 1
    assert "500" in down[0].getMessage()
    fake_akismet.release.set()
    fake_akismet.mode = "ham"
    check()
    check()
    back = [r for r in caplog.records if "answering again" in r.getMessage()]
    assert len(back) == 1


def test_an_unreachable_akismet_falls_back(fake_akismet, settings, caplog):
    caplog.set_level(logging.WARNING, logger="moderation.spam.akismet")
    with socket.socket() as probe:  # a port nothing listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.AKISMET_ENDPOINT = f"http://127.0.0.1:{port}"
    verdict = check()
    assert verdict == spam_score(**PLAIN, use_akismet=False)
    assert len([r for r in caplog.records if "unavailable" in r.getMessage()]) == 1
