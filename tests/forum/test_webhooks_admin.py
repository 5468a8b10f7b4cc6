"""Webhooks in Django admin: only site admins reach them; the form checks the address and
ticks events; the actions (test delivery, re-enable, new secret, redeliver) go through the
services; the delivery log shows the body and every attempt."""

import pytest
from django.test import Client

from forum.models import Webhook, WebhookAttempt, WebhookDelivery

Event = Webhook.Event
CHANGELIST = "/admin/forum/webhook/"
DELIVERIES = "/admin/forum/webhookdelivery/"


@pytest.fixture
def admin_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def hook(db, help_board):
    webhook = Webhook.objects.create(
        name="Help desk",
        url="https://93.184.216.34/hook",
        events=[Event.THREAD_CREATED, Event.POST_CREATED],
    )
    webhook.boards.set([help_board])
    return webhook


@pytest.fixture
def delivery(hook):
    row = WebhookDelivery.objects.create(
        webhook=hook,
        event=Event.POST_CREATED,
        subject="post:1",
        body='{"id":"x","event":"post.created","data":{"post":{"body":"<script>x</script>"}}}',
        status=WebhookDelivery.Status.FAILED,
        attempts=6,
        last_status_code=502,
        created_at=hook.created_at,
    )
    WebhookAttempt.objects.create(
        delivery=row,
        attempted_at=hook.created_at,
        status_code=502,
        response_excerpt="Bad gateway",
        duration_ms=12,
    )
    return row


@pytest.mark.parametrize("who", ["moderator", "staff", "member"])
def test_only_site_admins_reach_webhooks(request, who, hook, delivery):
    client = Client()
    client.force_login(request.getfixturevalue(who))
    for url in (CHANGELIST, f"{CHANGELIST}{hook.pk}/change/", DELIVERIES):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_the_webhook_list_shows_each_webhooks_state(
    admin_client, hook, delivery, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = admin_client.get(CHANGELIST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Help desk" in page
    assert "thread.created, post.created" in page


def test_the_form_refuses_a_private_address_and_keeps_the_ticked_events(
    admin_client, admin_user, help_board, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    form = {
        "name": "Internal",
        "url": "http://127.0.0.1:9000/hook",
        "format": "json",
        "events": [Event.POST_FLAGGED, Event.THREAD_CREATED],
        "boards": [help_board.pk],
    }
    response = admin_client.post(f"{CHANGELIST}add/", form)
    assert response.status_code == 200
    assert "private" in response.content.decode()
    assert not Webhook.objects.exists()
    response = admin_client.post(f"{CHANGELIST}add/", {**form, "url": "https://93.184.216.34/x"})
    assert response.status_code == 302
    created = Webhook.objects.get()
    assert created.events == [Event.THREAD_CREATED, Event.POST_FLAGGED]
    assert list(created.boards.all()) == [help_board]
    assert created.created_by == admin_user
    assert len(created.secret) >= 40


def test_the_change_page_shows_the_secret_read_only(admin_client, hook):
    response = admin_client.get(f"{CHANGELIST}{hook.pk}/change/")
    page = response.content.decode()
    assert f"<code>{hook.secret}</code>" in page
    assert 'name="secret"' not in page


def test_admin_actions_send_a_test_reenable_and_regenerate_the_secret(
    admin_client, hook, django_capture_on_commit_callbacks
):
    Webhook.objects.filter(pk=hook.pk).update(
        is_active=False, consecutive_failures=15, disabled_reason="15 failed attempts"
    )
    old_secret = hook.secret
    with django_capture_on_commit_callbacks():
        for action in ("send_test", "reenable", "regenerate_secret"):
            response = admin_client.post(
                CHANGELIST, {"action": action, "_selected_action": [hook.pk]}
            )
            assert response.status_code == 302
    hook.refresh_from_db()
    assert (hook.is_active, hook.consecutive_failures, hook.disabled_reason) == (True, 0, "")
    assert hook.secret != old_secret
    ping = WebhookDelivery.objects.get(event="ping")
    assert ping.status == "queued"


def test_the_delivery_log_shows_the_body_and_attempts_and_redelivers(
    admin_client, delivery, django_capture_on_commit_callbacks
):
    response = admin_client.get(DELIVERIES)
    assert response.status_code == 200
    assert "502" in response.content.decode()
    page = admin_client.get(f"{DELIVERIES}{delivery.pk}/change/").content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<script>x</script>" not in page
    assert "Bad gateway" in page
    assert 'name="body"' not in page
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            DELIVERIES, {"action": "redeliver", "_selected_action": [delivery.pk]}
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("queued", 0)
    assert len(callbacks) == 1
