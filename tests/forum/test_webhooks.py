"""Outbound webhooks against a real receiver on 127.0.0.1: the events the forum raises,
the signed wire format, retries with backoff, exactly-once delivery, disabling after
failures, the Slack format, redelivery by hand, and the address checks."""

import hashlib
import hmac
import io
import json
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from accounts.models import OutboundEmail
from forum.models import Webhook, WebhookAttempt, WebhookDelivery
from forum.services import notice_create, post_create, post_edit, thread_create
from forum.services.answers import answer_accept
from forum.services.statuses import thread_set_status
from forum.services.webhook_delivery import RETRY_DELAYS, deliveries_create
from forum.services.webhooks import (
    webhook_delivery_redeliver,
    webhook_event_on_commit,
    webhook_reenable,
    webhook_send_test,
)
from forum.tasks import deliver_webhook
from forum.webhook_transport import target_problem
from moderation.services import flag_create, review_item_open_for_screening
from moderation.services.held import held_post_approve
from tests.task_runner import run_ready_tasks, run_worker
from tests.webhook_receiver import running_receiver

Event = Webhook.Event
HOLD = {"action": "hold", "score": 9, "reasons": ["test"]}


@pytest.fixture
def webhook_receiver(settings):
    with running_receiver(settings) as receiver:
        yield receiver


@pytest.fixture
def make_webhook(db):
    def make(url, *events, format=Webhook.Format.JSON, boards=()):
        hook = Webhook.objects.create(
            name="Help desk", url=url, events=list(events) or list(Event.values), format=format
        )
        hook.boards.set(boards)
        return hook

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write as if it committed (its on-commit callbacks run), then the tasks."""

    def run(write):
        with django_capture_on_commit_callbacks(execute=True):
            result = write()
        run_ready_tasks()
        return result

    return run


def verify(secret: str, header: str, body: bytes) -> bool:
    """What a receiver does with Porchlight-Signature (Stripe's scheme)."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), parts["v1"])


def test_a_reply_arrives_signed_and_the_signature_verifies(
    webhook_receiver, make_webhook, committed, thread, other_member, settings
):
    settings.SITE_URL = "https://forum.example.org"
    hook = make_webhook(webhook_receiver.url, Event.POST_CREATED)
    post = committed(lambda: post_create(thread=thread, author=other_member, body="Try *this*."))
    [request] = webhook_receiver.requests
    assert request.method == "POST"
    assert request.header("Content-Type") == "application/json"
    assert request.header("User-Agent") == "Porchlight-Webhooks/1"
    assert request.header("Porchlight-Event") == "post.created"
    delivery = WebhookDelivery.objects.get()
    assert request.header("Porchlight-Delivery") == str(delivery.delivery_id)
    assert request.body == delivery.body.encode()
    signature = request.header("Porchlight-Signature")
    assert verify(hook.secret, signature, request.body)
    assert not verify(hook.secret, signature, request.body.replace(b"this", b"that"))
    assert not verify("another secret", signature, request.body)
    assert abs(int(signature.split(",")[0].removeprefix("t=")) - time.time()) < 60
    payload = request.json()
    assert payload["id"] == str(delivery.delivery_id)
    assert payload["event"] == "post.created"
    assert payload["data"]["post"]["id"] == post.pk
    assert payload["data"]["post"]["body"] == "Try *this*."
    assert payload["data"]["post"]["url"] == f"https://forum.example.org/p/{post.pk}/"
    assert payload["data"]["thread"]["url"] == f"https://forum.example.org/t/{thread.pk}/"
    assert payload["data"]["post"]["author"]["url"].startswith("https://forum.example.org/")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    [attempt] = delivery.log.all()
    assert (attempt.status_code, attempt.response_excerpt, attempt.by_hand) == (200, "ok", False)


def test_a_500_is_retried_after_the_backoff_with_the_same_delivery_id(
    webhook_receiver, make_webhook, committed, thread, other_member, clock
):
    make_webhook(webhook_receiver.url, Event.POST_CREATED)
    webhook_receiver.respond(500)
    committed(lambda: post_create(thread=thread, author=other_member, body="A reply."))
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("queued", 1, 500)
    assert delivery.next_attempt_at == clock.now + RETRY_DELAYS[0]
    assert len(webhook_receiver.requests) == 1
    # Not before its time...
    assert run_ready_tasks() == 0
    clock.advance(seconds=61)
    run_ready_tasks()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 200)
    first, second = webhook_receiver.requests
    assert first.header("Porchlight-Delivery") == second.header("Porchlight-Delivery")
    assert first.body == second.body
    assert first.header("Porchlight-Signature") != second.header("Porchlight-Signature")
    assert [a.status_code for a in delivery.log.all()] == [500, 200]
    assert delivery.webhook.consecutive_failures == 0


def test_a_delivery_gives_up_after_its_last_attempt(
    webhook_receiver, make_webhook, committed, thread, other_member, clock
):
    make_webhook(webhook_receiver.url, Event.POST_CREATED)
    webhook_receiver.default = 503
    committed(lambda: post_create(thread=thread, author=other_member, body="A reply."))
    for delay in RETRY_DELAYS:
        clock.advance(seconds=delay.total_seconds() + 1)
        run_ready_tasks()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", len(RETRY_DELAYS) + 1)
    assert delivery.next_attempt_at is None
    assert "503" in delivery.last_error
    clock.advance(days=2)
    assert run_ready_tasks() == 0
    assert len(webhook_receiver.requests) == len(RETRY_DELAYS) + 1


def test_a_delivered_delivery_is_never_sent_again_by_its_task(
    webhook_receiver, make_webhook, committed, thread, other_member
):
    make_webhook(webhook_receiver.url, Event.POST_CREATED)
    committed(lambda: post_create(thread=thread, author=other_member, body="A reply."))
    delivery = WebhookDelivery.objects.get()
    deliver_webhook.enqueue(delivery_id=delivery.pk)
    deliver_webhook.enqueue(delivery_id=delivery.pk)
    run_ready_tasks()
    assert len(webhook_receiver.requests) == 1
    assert delivery.log.count() == 1


def test_the_same_event_raised_twice_is_delivered_once(
    webhook_receiver, make_webhook, committed, thread, other_member
):
    make_webhook(webhook_receiver.url, Event.POST_CREATED)
    post = post_create(thread=thread, author=other_member, body="A reply.")

    def raise_twice():
        for _ in range(2):
            webhook_event_on_commit(
                Event.POST_CREATED, subject=f"post:{post.pk}", board_id=thread.board_id,
                post_id=post.pk,
            )  # fmt: skip

    committed(raise_twice)
    assert WebhookDelivery.objects.count() == 1
    assert len(webhook_receiver.requests) == 1


def test_a_rolled_back_write_queues_nothing(
    webhook_receiver, make_webhook, thread, other_member, django_capture_on_commit_callbacks
):
    make_webhook(webhook_receiver.url)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        post_create(thread=thread, author=other_member, body="Never mind.")
        raise RuntimeError
    assert callbacks == []
    run_ready_tasks()
    assert not WebhookDelivery.objects.exists()
    assert webhook_receiver.requests == []


def test_nothing_is_queued_and_nothing_read_when_no_webhook_wants_the_event(
    make_webhook, thread, other_member, django_capture_on_commit_callbacks
):
    make_webhook("https://hooks.example.com/x", Event.NOTICE_PUBLISHED)
    # The first write after a change reads the webhooks once, into the cache.
    with django_capture_on_commit_callbacks(execute=True):
        post_create(thread=thread, author=other_member, body="Warming the cache.")
    with django_capture_on_commit_callbacks() as callbacks:
        post_create(thread=thread, author=other_member, body="A reply nobody listens to.")
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    assert [q["sql"] for q in queries.captured_queries if "webhook" in q["sql"]] == []
    assert not DBTaskResult.objects.filter(task_path__contains="webhook").exists()


def test_a_held_reply_sends_post_held_and_its_approval_post_created(
    webhook_receiver, make_webhook, committed, thread, other_member, moderator
):
    make_webhook(webhook_receiver.url, Event.POST_CREATED, Event.POST_HELD)

    def held_reply():
        post = post_create(thread=thread, author=other_member, body="Cheap pills", screening=HOLD)
        review_item_open_for_screening(post=post, screening=HOLD)
        return post

    post = committed(held_reply)
    [request] = webhook_receiver.requests
    assert request.header("Porchlight-Event") == "post.held"
    data = request.json()["data"]
    assert data["post"]["id"] == post.pk
    assert "/moderation/queue/" in data["review_url"]
    committed(lambda: held_post_approve(actor=moderator, post=post, note=""))
    assert [r.header("Porchlight-Event") for r in webhook_receiver.requests] == [
        "post.held",
        "post.created",
    ]


def test_a_held_thread_is_not_announced_as_created(
    webhook_receiver, make_webhook, committed, help_board, other_member, moderator
):
    make_webhook(webhook_receiver.url, Event.THREAD_CREATED, Event.POST_HELD)

    def held_thread():
        new = thread_create(
            board=help_board, author=other_member, title="Buy now", body="Pills", screening=HOLD
        )
        review_item_open_for_screening(post=new.last_post, screening=HOLD)
        return new

    new = committed(held_thread)
    assert [r.header("Porchlight-Event") for r in webhook_receiver.requests] == ["post.held"]
    committed(lambda: held_post_approve(actor=moderator, post=new.last_post, note=""))
    assert webhook_receiver.requests[-1].header("Porchlight-Event") == "thread.created"
    assert webhook_receiver.requests[-1].json()["data"]["thread"]["id"] == new.pk


def test_a_staff_reply_sends_post_created_and_post_staff_reply(
    webhook_receiver, make_webhook, committed, thread, staff
):
    make_webhook(webhook_receiver.url, Event.POST_CREATED, Event.STAFF_REPLY)
    committed(lambda: post_create(thread=thread, author=staff, body="Fixed in 2.1."))
    events = sorted(r.header("Porchlight-Event") for r in webhook_receiver.requests)
    assert events == ["post.created", "post.staff_reply"]
    ids = {r.header("Porchlight-Delivery") for r in webhook_receiver.requests}
    assert len(ids) == 2
    staff_reply = next(
        r for r in webhook_receiver.requests if r.header("Porchlight-Event") == "post.staff_reply"
    )
    assert staff_reply.json()["data"]["post"]["is_staff_reply"] is True


def test_the_board_filter_keeps_other_boards_events_out(
    webhook_receiver, make_webhook, committed, boards, member
):
    make_webhook(webhook_receiver.url, Event.THREAD_CREATED, boards=[boards["bugs"]])
    committed(
        lambda: thread_create(
            board=boards["help"], author=member, title="How to export?", body="How?"
        )
    )
    assert webhook_receiver.requests == []
    bug = committed(
        lambda: thread_create(board=boards["bugs"], author=member, title="Crash", body="Boom")
    )
    [request] = webhook_receiver.requests
    assert request.json()["data"]["thread"]["id"] == bug.pk
    assert request.json()["data"]["post"]["position"] == 1


def test_status_change_answer_flag_and_notice_events_carry_their_data(
    webhook_receiver, make_webhook, committed, boards, member, other_member, staff, admin_user
):
    make_webhook(webhook_receiver.url)
    bug = thread_create(board=boards["bugs"], author=member, title="Crash", body="Boom")
    committed(
        lambda: thread_set_status(thread=bug, actor=staff, status="confirmed", reason="Seen it.")
    )
    status = webhook_receiver.requests[-1].json()
    assert status["event"] == "thread.status_changed"
    assert status["data"]["status"] == {
        "from": "new",
        "to": "confirmed",
        "reason": "Seen it.",
        "duplicate_of": None,
    }
    assert status["data"]["actor"]["username"] == staff.username

    question = thread_create(board=boards["help"], author=member, title="How?", body="Help")
    answer = post_create(thread=question, author=other_member, body="Like this.")
    committed(lambda: answer_accept(thread=question, post=answer, actor=member))
    accepted = webhook_receiver.requests[-1].json()
    assert accepted["event"] == "thread.answer_accepted"
    assert accepted["data"]["post"]["id"] == answer.pk
    assert accepted["data"]["thread"]["accepted_post_id"] == answer.pk

    committed(lambda: flag_create(flagger=other_member, post=bug.last_post, reason="spam", text=""))
    flagged = webhook_receiver.requests[-1].json()
    assert flagged["event"] == "post.flagged"
    assert flagged["data"]["flag"]["reason"] == "spam"
    assert other_member.username not in json.dumps(flagged["data"]["flag"])

    notice = committed(
        lambda: notice_create(actor=admin_user, message="Logins are slow.", level="info")
    )
    published = webhook_receiver.requests[-1].json()
    assert published["event"] == "notice.published"
    assert published["data"]["notice"]["id"] == notice.pk
    assert published["data"]["notice"]["message"] == "Logins are slow."


def test_slack_format_posts_a_readable_line_with_an_escaped_link(
    webhook_receiver, make_webhook, committed, help_board, member
):
    make_webhook(webhook_receiver.url, Event.THREAD_CREATED, format=Webhook.Format.SLACK)
    new = committed(
        lambda: thread_create(
            board=help_board, author=member, title="<!channel> & <b>export|csv</b>", body="Hm"
        )
    )
    [request] = webhook_receiver.requests
    assert request.header("Porchlight-Event") == "thread.created"
    assert request.header("Porchlight-Signature").startswith("t=")
    text = request.json()["text"]
    assert text == (
        f"Jamie started <http://127.0.0.1:8000/t/{new.pk}/|"
        "&lt;!channel&gt; &amp; &lt;b&gt;export¦csv&lt;/b&gt;> on Help"
    )


def test_a_webhook_failing_in_a_row_is_disabled_and_admins_are_emailed_once(
    webhook_receiver, make_webhook, committed, thread, other_member, admin_user, settings
):
    settings.WEBHOOK_DISABLE_AFTER = 3
    hook = make_webhook(webhook_receiver.url, Event.POST_CREATED)
    webhook_receiver.default = 500
    for n in range(4):
        committed(lambda n=n: post_create(thread=thread, author=other_member, body=f"Reply {n}"))
    hook.refresh_from_db()
    assert not hook.is_active
    assert hook.disabled_at is not None
    assert "500" in hook.disabled_reason
    # The fourth reply found nobody listening: the cached list was forgotten.
    assert len(webhook_receiver.requests) == 3
    assert WebhookDelivery.objects.count() == 3
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"queued", "failed"}
    [mail] = OutboundEmail.objects.filter(kind="webhook_disabled")
    assert mail.to == [admin_user.email]
    assert "Help desk" in mail.subject
    assert f"/admin/forum/webhook/{hook.pk}/change/" in mail.body
    # A queued retry finds the webhook disabled and gives up without sending.
    for delivery in WebhookDelivery.objects.filter(status="queued"):
        deliver_webhook.enqueue(delivery_id=delivery.pk)
    WebhookDelivery.objects.update(next_attempt_at=None)
    run_ready_tasks()
    assert len(webhook_receiver.requests) == 3
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"failed"}
    assert OutboundEmail.objects.filter(kind="webhook_disabled").count() == 1
    assert webhook_reenable(webhook=hook, actor=admin_user)
    hook.refresh_from_db()
    assert (hook.is_active, hook.consecutive_failures, hook.disabled_reason) == (True, 0, "")


def test_redelivery_by_hand_sends_the_same_id_with_a_new_signature(
    webhook_receiver, make_webhook, committed, thread, other_member, admin_user, clock
):
    make_webhook(webhook_receiver.url, Event.POST_CREATED)
    committed(lambda: post_create(thread=thread, author=other_member, body="A reply."))
    delivery = WebhookDelivery.objects.get()
    clock.advance(seconds=30)
    committed(lambda: webhook_delivery_redeliver(delivery=delivery, actor=admin_user))
    first, second = webhook_receiver.requests
    assert first.header("Porchlight-Delivery") == second.header("Porchlight-Delivery")
    assert first.body == second.body
    t1 = int(first.header("Porchlight-Signature").split(",")[0][2:])
    t2 = int(second.header("Porchlight-Signature").split(",")[0][2:])
    assert t2 - t1 == 30
    assert [a.by_hand for a in delivery.log.all()] == [False, True]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


def test_a_test_delivery_pings_the_webhook(webhook_receiver, make_webhook, committed, admin_user):
    hook = make_webhook(webhook_receiver.url, Event.POST_CREATED)
    committed(lambda: webhook_send_test(webhook=hook, actor=admin_user))
    [request] = webhook_receiver.requests
    assert request.header("Porchlight-Event") == "ping"
    assert request.json()["data"]["webhook"] == {"id": hook.pk, "name": "Help desk"}
    assert verify(hook.secret, request.header("Porchlight-Signature"), request.body)


def test_private_addresses_are_refused_when_checked_and_when_sending(
    webhook_receiver, make_webhook, committed, thread, other_member, settings
):
    make_webhook(webhook_receiver.url, Event.POST_CREATED)
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    for url in (
        webhook_receiver.url,
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ):
        assert "address" in (target_problem(url) or ""), url
    assert "http" in target_problem("file:///etc/passwd")
    assert target_problem("https://93.184.216.34/hook") is None
    committed(lambda: post_create(thread=thread, author=other_member, body="A reply."))
    assert webhook_receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert "127.0.0.1" in delivery.last_error


def test_a_receiver_that_never_answers_times_out_and_is_retried(
    webhook_receiver, make_webhook, committed, thread, other_member, settings
):
    settings.WEBHOOK_TIMEOUT = 1
    make_webhook(webhook_receiver.url, Event.POST_CREATED)
    webhook_receiver.hang()
    started = time.monotonic()
    committed(lambda: post_create(thread=thread, author=other_member, body="A reply."))
    assert time.monotonic() - started < 5
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("queued", 1, None)
    [attempt] = WebhookAttempt.objects.all()
    assert "timed out" in attempt.error
    assert 900 <= attempt.duration_ms < 5000


def test_a_redirect_is_a_failure_and_is_not_followed(
    webhook_receiver, make_webhook, committed, thread, other_member
):
    make_webhook(webhook_receiver.url, Event.POST_CREATED)
    webhook_receiver.respond(302)
    webhook_receiver.redirect_to = webhook_receiver.url + "/elsewhere"
    committed(lambda: post_create(thread=thread, author=other_member, body="A reply."))
    assert [r.path for r in webhook_receiver.requests] == ["/hook"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("queued", 302)


def test_the_sweeper_queues_overdue_deliveries_again(
    webhook_receiver, make_webhook, thread, other_member, clock
):
    make_webhook(webhook_receiver.url, Event.POST_CREATED)
    # The write committed but its task was lost: the delivery row waits, queued.
    post = post_create(thread=thread, author=other_member, body="A reply.")
    [delivery_pk] = deliveries_create(
        event=Event.POST_CREATED, subject=f"post:{post.pk}", ids={"post_id": post.pk}
    )
    clock.advance(minutes=5)
    call_command("deliver_webhooks", stdout=io.StringIO())
    assert run_ready_tasks() == 0
    clock.advance(minutes=6)
    call_command("deliver_webhooks", stdout=io.StringIO())
    run_ready_tasks()
    assert WebhookDelivery.objects.get(pk=delivery_pk).status == "delivered"
    assert len(webhook_receiver.requests) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_reply_reaches_the_receiver_through_the_task_worker(
    webhook_receiver, make_webhook, thread, other_member
):
    hook = make_webhook(webhook_receiver.url, Event.POST_CREATED)
    post = post_create(thread=thread, author=other_member, body="Sent after commit.")
    assert webhook_receiver.requests == []
    assert DBTaskResult.objects.filter(task_path="forum.tasks.dispatch_webhook_event").exists()
    run_worker()
    [request] = webhook_receiver.requests
    assert request.json()["data"]["post"]["id"] == post.pk
    assert verify(hook.secret, request.header("Porchlight-Signature"), request.body)
    assert WebhookDelivery.objects.get().status == "delivered"


def test_an_edit_held_for_review_sends_post_held(
    webhook_receiver, make_webhook, committed, thread, other_member
):
    make_webhook(webhook_receiver.url, Event.POST_HELD)
    post = post_create(thread=thread, author=other_member, body="A fine reply.")

    def held_edit():
        post_edit(post=post, editor=other_member, body="Now with pills", screening=HOLD)
        review_item_open_for_screening(post=post, screening=HOLD)

    committed(held_edit)
    [request] = webhook_receiver.requests
    assert request.header("Porchlight-Event") == "post.held"
    assert request.json()["data"]["post"]["is_held"] is True


def test_a_receiver_that_is_down_is_a_failed_attempt_with_the_reason(
    webhook_receiver, make_webhook, committed, thread, other_member
):
    make_webhook(webhook_receiver.url, Event.POST_CREATED)
    webhook_receiver.stop()
    committed(lambda: post_create(thread=thread, author=other_member, body="A reply."))
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("queued", 1, None)
    assert "Connection refused" in delivery.last_error
    assert delivery.webhook.consecutive_failures == 1
