"""docs/api.md cannot rot: every curl example in it runs with the real curl against a live
server seeded through the services, answers what the doc says it answers, and the paths it
shows are exactly the operations of the OpenAPI document; its signature-checking receiver
accepts a delivery signed as Porchlight signs one and refuses a tampered or stale one.

A ```sh block whose command starts with ``curl`` is an example. It may name ``$PORCHLIGHT``
(the site's address), the tokens and the ids that ``seeded`` below provides. A line
``# expect: 403`` in the block is the status it must answer; without one, any 2xx."""

import json
import re
import shlex
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from accounts.access_tokens import access_token_create

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"
CURL = "/usr/bin/curl"
FENCE = re.compile(r"^```([\w-]*)[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
VARIABLE = re.compile(r"\$\{?([A-Z][A-Z0-9_]*)\}?")
EXPECT = re.compile(r"^#\s*expect:\s*(\d{3})\s*$")
API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class Example:
    line: int
    command: str
    expect: int | None

    @property
    def args(self) -> list[str]:
        return shlex.split(self.command)

    @property
    def method(self) -> str:
        args = self.args
        for flag in ("-X", "--request"):
            if flag in args:
                return args[args.index(flag) + 1].upper()
        if any(a in args for a in ("-I", "--head")):
            return "HEAD"
        if any(a in args for a in ("-d", "--data", "--data-raw", "--json", "-F", "--form")):
            return "POST"
        return "GET"

    @property
    def path(self) -> str:
        """The API path as written, variables and all, without the query string."""
        urls = [a for a in self.args if a.startswith("$PORCHLIGHT")]
        assert len(urls) == 1, f"docs/api.md:{self.line}: one $PORCHLIGHT address per example"
        return urlsplit("http://site" + urls[0].removeprefix("$PORCHLIGHT")).path


def code_blocks(kind: str) -> list[tuple[int, str]]:
    text = DOC.read_text()
    return [
        (text.count("\n", 0, match.start()) + 2, match.group(2))
        for match in FENCE.finditer(text)
        if match.group(1) == kind
    ]


def curl_examples() -> list[Example]:
    examples = []
    for line, body in code_blocks("sh"):
        expect = None
        command_lines = []
        for text in body.splitlines():
            if found := EXPECT.match(text.strip()):
                expect = int(found.group(1))
            elif text.strip() and not text.lstrip().startswith("#"):
                command_lines.append(text)
        command = re.sub(r"\\\n\s*", " ", "\n".join(command_lines)).strip()
        if command.startswith("curl "):
            assert "\n" not in command, f"docs/api.md:{line}: one curl command per block"
            examples.append(Example(line=line, command=command, expect=expect))
    return examples


def operation_pattern(template: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "/?$")


def documented_operations() -> set[tuple[str, str]]:
    return {(example.method, example.path) for example in curl_examples()}


@pytest.fixture
def openapi_operations(client, db) -> set[tuple[str, str]]:
    document = client.get(f"{API_PREFIX}/openapi.json").json()
    return {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }


def test_docs_have_curl_examples_for_reads_and_writes():
    methods = {example.method for example in curl_examples()}
    assert {"GET", "POST"} <= methods
    assert any(example.expect == 403 for example in curl_examples())


def test_every_operation_of_the_openapi_document_has_an_example_in_the_docs(
    openapi_operations,
):
    documented = documented_operations()
    missing = sorted(
        f"{method} {path}"
        for method, path in openapi_operations
        if not any(
            method == doc_method and operation_pattern(path).match(doc_path)
            for doc_method, doc_path in documented
        )
    )
    assert not missing, "docs/api.md has no curl example for: " + ", ".join(missing)


def test_every_api_path_in_the_docs_is_an_operation_of_the_openapi_document(
    openapi_operations,
):
    patterns = [(method, operation_pattern(path)) for method, path in openapi_operations]
    unknown = sorted(
        f"{method} {path}"
        for method, path in documented_operations()
        if path != f"{API_PREFIX}/openapi.json"
        and not any(method == m and pattern.match(path) for m, pattern in patterns)
    )
    assert not unknown, "docs/api.md shows operations the API doesn't have: " + ", ".join(unknown)
    # Paths named in the prose and in headings, too.
    written = set(re.findall(r"(?<![\w$])(/api/v1/[\w{}/.$-]*)", DOC.read_text()))
    strays = sorted(
        path
        for path in written
        if path.rstrip("/") not in (API_PREFIX, f"{API_PREFIX}/openapi.json")
        and not any(
            pattern.match(re.sub(r"\{[^}]+\}|\$[A-Z_]+", "x", path))
            for _method, pattern in patterns
        )
    )
    assert not strays, "docs/api.md names paths the API doesn't have: " + ", ".join(strays)


# --- Running the examples ------------------------------------------------------------


@pytest.fixture
def seeded(live_server, make_user, make_thread, boards, moderator, staff, guidelines):
    """The people, tokens and things the examples name, built through the services."""
    from forum import services as forum_services
    from moderation import services as moderation_services

    member = make_user("jamie", display_name="Jamie")
    blocked = make_user("riley", display_name="Riley")
    question = make_thread(member, title="Export drops rows", body="It fails **every** time.")
    answer = forum_services.post_create(
        thread=question, author=staff, body="Fixed in 4.2: the export now streams."
    )
    make_thread(member, title="Can I change my username?", body="It has a typo.")
    bug = make_thread(
        member, board=boards["bugs"], title="CSV export stops at 1,000 rows", body="Every time."
    )
    idea = make_thread(
        member, board=boards["ideas"], title="Dark mode for the dashboard", body="Please."
    )
    rude = forum_services.post_create(
        thread=bug, author=blocked, body="Only an idiot would export that many rows."
    )
    flag = moderation_services.flag_create(
        flagger=staff, post=rude, reason="rule", rule_code="G3", text=""
    )
    moderation_services.block_create(
        actor=moderator,
        member=blocked,
        duration="1d",
        rule_codes=["G3"],
        reason="Personal attacks in three threads this week.",
    )
    locked = make_thread(member, title="Billing question", body="Who do I ask?")
    moderation_services.lockdown_set(
        actor=moderator,
        kind="lock",
        rule_codes=["G1"],
        reason="Answered by email; nothing more to add here.",
        thread=locked,
    )

    def token(user, scope):
        return access_token_create(user=user, name=f"docs {scope}", scope=scope).raw

    values = {
        "PORCHLIGHT": live_server.url,
        "TOKEN": token(member, "write"),
        "READ_TOKEN": token(member, "read"),
        "STAFF_TOKEN": token(staff, "write"),
        "MODERATOR_TOKEN": token(moderator, "moderate"),
        "BLOCKED_TOKEN": token(blocked, "write"),
        "THREAD_ID": str(question.pk),
        "POST_ID": str(answer.pk),
        "REPLY_ID": str(rude.pk),
        "REVIEW_ITEM_ID": str(flag.review_item_id),
        "BUG_THREAD_ID": str(bug.pk),
        "IDEA_THREAD_ID": str(idea.pk),
        "LOCKED_THREAD_ID": str(locked.pk),
        "USERNAME": member.username,
    }
    values["ETAG"] = etag_of(values, f"{API_PREFIX}/boards", values["TOKEN"])
    values["CURSOR"] = next_cursor(values, f"{API_PREFIX}/boards/help/threads?page_size=2")
    return values


def etag_of(values: dict, path: str, token: str) -> str:
    """The ETag a read answers with now, as a client would have kept it."""
    done = subprocess.run(
        [CURL, "-sS", "-o", "/dev/null", "-D", "-", "-H", f"Authorization: Bearer {token}"]
        + [values["PORCHLIGHT"] + path],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return re.search(r"^etag: (.+?)\r?$", done.stdout, re.M | re.I).group(1)


def next_cursor(values: dict, path: str) -> str:
    """The ``next`` cursor of a list's first page."""
    done = subprocess.run(
        [CURL, "-sS", "-H", f"Authorization: Bearer {values['TOKEN']}"]
        + [values["PORCHLIGHT"] + path],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    cursor = json.loads(done.stdout)["next"]
    assert cursor, "the seeded list fits on one page: seed more"
    return cursor


def run(example: Example, values: dict) -> tuple[int, int, str]:
    """Run the example as a reader would, in a shell with the variables exported, with the
    real curl told to fail on an error status and to write the status last: (curl's exit
    code, HTTP status, body)."""
    for name in VARIABLE.findall(example.command):
        assert name in values, f"docs/api.md:{example.line}: nothing seeds ${name}"
    command = example.command.replace(
        "curl ", f"{CURL} --fail-with-body -sS -w '\\n%{{http_code}}' ", 1
    )
    done = subprocess.run(
        ["/bin/bash", "-u", "-c", command],
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": "/usr/bin:/bin", **values},
    )
    output, _, status = done.stdout.rpartition("\n")
    if "-i" in example.args or "--include" in example.args:
        output = re.split(r"\r?\n\r?\n", output, maxsplit=1)[-1]
    return done.returncode, int(status or 0), output


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_curl_example_in_the_docs_answers_as_documented(seeded):
    failures = []
    for example in curl_examples():
        code, status, body = run(example, seeded)
        where = f"docs/api.md:{example.line} ({example.method} {example.path})"
        expected_ok = (
            status == example.expect if example.expect else 200 <= status < 300
        ) and code == (22 if status >= 400 else 0)
        if not expected_ok:
            failures.append(
                f"{where}: exit {code}, HTTP {status}, expected {example.expect or '2xx'}: "
                f"{body[:300]}"
            )
            continue
        if body.strip():
            try:
                parsed = json.loads(body)
            except ValueError:
                failures.append(f"{where}: the answer isn't JSON: {body[:300]}")
                continue
            if status >= 400 and set(parsed) != {"error"}:
                failures.append(f"{where}: an error not in the error shape: {body[:300]}")
        elif status != 304 and status != 204:
            failures.append(f"{where}: HTTP {status} with an empty body")
    assert not failures, "\n".join(failures)


# --- The error examples that no curl example provokes ----------------------------------


def documented_json_after(heading: str) -> dict:
    """The first JSON in a ```http block after the line holding ``heading``."""
    text = DOC.read_text()
    start = text.index(heading)
    for match in FENCE.finditer(text, start):
        if match.group(1) == "http":
            return json.loads(match.group(2).split("\n\n", 1)[1])
    raise AssertionError(f"no ```http block after {heading!r}")


def test_documented_429_is_what_a_token_past_its_budget_gets(client, member, settings):
    settings.API_TOKEN_RATE = "1/h"
    raw = access_token_create(user=member, name="busy", scope="read").raw
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"{API_PREFIX}/boards", **auth).status_code == 200
    refused = client.get(f"{API_PREFIX}/boards", **auth)
    assert refused.status_code == 429
    documented = documented_json_after("A **429**")
    assert refused.json() == documented
    assert int(refused["Retry-After"]) > 0
    assert refused["X-RateLimit-Remaining"] == "0"
    assert refused["X-RateLimit-Limit"] == "1"
    assert int(refused["X-RateLimit-Reset"]) > 0


# --- The webhook receiver in the docs ---------------------------------------------------


def receiver_snippet() -> dict:
    """The docs' Python receiver, loaded as a module of its own (not run as a script)."""
    blocks = [body for _line, body in code_blocks("python") if "def verify_signature" in body]
    assert len(blocks) == 1, "docs/api.md has one receiver with verify_signature"
    namespace = {"__name__": "porchlight_receiver"}
    exec(compile(blocks[0], str(DOC), "exec"), namespace)  # noqa: S102 - our own docs
    return namespace


def test_docs_signature_check_accepts_porchlight_signatures_and_refuses_the_rest():
    from forum.webhook_transport import signature

    verify = receiver_snippet()["verify_signature"]
    body = b'{"id":"3f0c8a52","event":"ping","created_at":"2026-12-06T09:41:07+00:00","data":{}}'
    now = 1_796_553_667
    header = signature(secret="s3cret", timestamp=now, body=body)
    assert verify("s3cret", header, body, now=now + 10)
    assert not verify("s3cret", header, body.replace(b"ping", b"pong"), now=now)
    assert not verify("another secret", header, body, now=now)
    # Older than five minutes: a replay.
    assert not verify("s3cret", header, body, now=now + 301)
    assert verify("s3cret", header, body, now=now + 299)
    for broken in ("", "t=abc,v1=00", f"t={now}", "v1=00", "nonsense"):
        assert not verify("s3cret", broken, body, now=now)


@pytest.fixture
def docs_receiver():
    """The docs' receiver, serving on 127.0.0.1; ``.handled`` lists the events it acted on."""
    import threading
    from http.server import HTTPServer

    snippet = receiver_snippet()
    acted_on = []
    snippet["handle"] = acted_on.append
    server = HTTPServer(("127.0.0.1", 0), snippet["Receiver"])
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    snippet["url"] = f"http://127.0.0.1:{server.server_address[1]}/porchlight-hook"
    snippet["acted_on"] = acted_on
    yield snippet
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_docs_receiver_takes_a_real_delivery_once_and_refuses_a_tampered_one(
    docs_receiver, member, staff, thread, settings, django_capture_on_commit_callbacks
):
    import urllib.error
    import urllib.request

    from forum import services as forum_services
    from forum.models import Webhook, WebhookDelivery
    from forum.services import webhooks
    from forum.webhook_transport import signature
    from tests.task_runner import run_ready_tasks

    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    hook = Webhook.objects.create(
        name="Support tool", url=docs_receiver["url"], events=["post.staff_reply"]
    )
    docs_receiver["SECRET"] = hook.secret
    with django_capture_on_commit_callbacks(execute=True):
        reply = forum_services.post_create(
            thread=thread, author=staff, body="Fixed in 4.2: the export now streams."
        )
    run_ready_tasks()

    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.last_status_code == 204
    [event] = docs_receiver["acted_on"]
    assert event["id"] == str(delivery.delivery_id)
    assert event["event"] == "post.staff_reply"
    assert event["data"]["post"]["id"] == reply.pk
    assert docs_receiver["handled"] == {str(delivery.delivery_id)}

    # Sent again by hand: the same id, a fresh signature, and the receiver does nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.webhook_delivery_redeliver(delivery=delivery, actor=staff)
    run_ready_tasks()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.log.count() == 2
    assert len(docs_receiver["acted_on"]) == 1

    # A body altered on the way, under the original's valid signature, is refused.
    body = delivery.body.encode()
    header = signature(secret=hook.secret, timestamp=int(time.time()), body=body)
    tampered = body.replace(b"4.2", b"4.3")
    request = urllib.request.Request(
        docs_receiver["url"],
        data=tampered,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Porchlight-Delivery": "another-id",
            "Porchlight-Signature": header,
        },
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310 - our own receiver
    assert refused.value.code == 400
    assert len(docs_receiver["acted_on"]) == 1


# --- The webhook facts the docs state ---------------------------------------------------


def doc_section(heading: str) -> str:
    text = DOC.read_text()
    start = text.index(f"\n{heading}\n")
    following = re.search(r"\n#{2,4} ", text[start + len(heading) + 2 :])
    return text[start : start + len(heading) + 2 + (following.start() if following else len(text))]


def test_documented_webhook_events_are_the_events_webhooks_send():
    from forum.models import Webhook
    from forum.services.webhook_delivery import PING

    table = doc_section("### Events")
    documented = set(re.findall(r"^\| `([a-z_.]+)` \|", table, re.M))
    assert documented == {*Webhook.Event.values, PING}


def test_documented_retry_schedule_and_disabling_are_what_deliveries_follow():
    from datetime import timedelta

    from forum.services import webhook_delivery

    section = doc_section("### Retries, disabling and redelivery")
    units = {"minute": "minutes", "minutes": "minutes", "hour": "hours", "hours": "hours"}
    delays = [
        timedelta(**{units[unit]: int(amount)})
        for amount, unit in re.findall(r"^\| \d+(?:st|nd|rd|th) \| (\d+) (\w+) \|", section, re.M)
    ]
    assert delays == list(webhook_delivery.RETRY_DELAYS)
    assert f"After the {webhook_delivery.MAX_ATTEMPTS}th failed attempt" in section
    assert f"fail **{settings.WEBHOOK_DISABLE_AFTER} times in a row**" in section
    delivery = doc_section("### A delivery")
    assert f"within {settings.WEBHOOK_TIMEOUT} seconds (`WEBHOOK_TIMEOUT`)" in delivery
    assert f"User-Agent: {webhook_delivery.USER_AGENT}" in delivery
