"""The /help page's contact form and the staff contact inbox, through the views."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from forum.models import ContactMessage, Notification
from forum.services.contact import contact_message_create, contact_message_mark_handled

pytestmark = pytest.mark.django_db

HELP = "/help/"
INBOX = "/staff/contact/"


def run_tasks():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def form_data(**overrides):
    data = {
        "topic": "account",
        "name": "Vee",
        "email": "vee@example.org",
        "subject": "Locked out of my account",
        "body": "I changed phones and lost my 2FA codes.\nHow do I get back in?",
        "website": "",
    }
    data.update(overrides)
    return data


def field_block(html: str, name: str) -> str:
    """The rendered .field wrapper of one input, label and errors included."""
    match = re.search(
        rf'<div class="field[^"]*">(?:(?!<div class="field).)*?name="{name}".*?</div>',
        html,
        re.S,
    )
    assert match, f"no field {name}"
    return match.group(0)


def make_message(**overrides):
    data = {
        "topic": "billing",
        "email": "vee@example.org",
        "name": "Vee",
        "subject": "Charged twice",
        "body": "My card was charged twice this month.",
    }
    data.update(overrides)
    return contact_message_create(**data)


# --- The help page and its form ------------------------------------------------------------


def test_help_page_explains_where_to_ask_and_has_the_contact_form(client, boards):
    html = client.get(HELP).content.decode()
    for text in ("Help", "Bugs", "Ideas", "community guidelines", "Status", "billing"):
        assert text in html
    assert reverse("forum:status") in html
    assert 'id="contact"' in html
    # Every visible field is labelled; the topic drop-down offers the four topics.
    for name in ("topic", "name", "email", "subject", "body"):
        assert re.search(rf'<label for="id_{name}">', html)
    for value in ("account", "billing", "bug", "other"):
        assert f'<option value="{value}"' in html


# The worker needs committed rows (PostgreSQL).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_visitor_sends_a_message_and_staff_are_emailed_after_the_task_runs(client, staff):
    response = client.post(HELP, form_data(), REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302
    assert response["Location"] == "/help/?sent=1"

    message = ContactMessage.objects.get()
    assert (message.topic, message.email, message.user) == ("account", "vee@example.org", None)
    assert mail.outbox == []

    page = client.get(response["Location"]).content.decode()
    assert "Thanks — we&#x27;ve got your message and will reply by email to vee@example.org" in page

    run_tasks()
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert mail.outbox[0].reply_to == ["vee@example.org"]


def test_member_sends_without_typing_an_email(client, member, staff):
    client.force_login(member)
    page = client.get(HELP).content.decode()
    assert f"We'll reply to <strong>{member.email}</strong>" in page
    assert 'name="email"' not in page and 'name="name"' not in page

    data = form_data()
    del data["email"], data["name"]
    response = client.post(HELP, data, follow=True)
    message = ContactMessage.objects.get()
    assert message.user == member and message.email == member.email
    assert f"will reply by email to {member.email}" in response.content.decode()
    assert Notification.objects.filter(recipient=staff, kind="contact").count() == 1


def test_errors_show_next_to_their_fields_and_keep_the_text(client, db):
    body = "Short <b>"
    response = client.post(
        HELP, form_data(topic="", email="not-an-address", subject="Hi", body=body)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing you typed has been lost" in html
    assert "Choose what your message is about." in field_block(html, "topic")
    assert "doesn&#x27;t look like an email address" in field_block(html, "email")
    assert 'value="not-an-address"' in field_block(html, "email")
    assert 'value="Hi"' in field_block(html, "subject")
    assert escape(body) in field_block(html, "body")
    assert ContactMessage.objects.count() == 0


def test_service_rules_show_next_to_the_field(client, db):
    """The form has no length rules of its own: the service's reason lands by the field."""
    response = client.post(HELP, form_data(subject="ab", body="x" * 5001))
    assert response.status_code == 400
    html = response.content.decode()
    assert "subject of at least 3 characters" in field_block(html, "subject")
    assert "at most 5,000 characters" in field_block(html, "body")
    assert "x" * 5001 in field_block(html, "body")


def test_sixth_message_in_an_hour_is_refused_with_the_text_kept(
    client, db, django_capture_on_commit_callbacks
):
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                HELP, form_data(subject=f"Message {n}"), REMOTE_ADDR="198.51.100.7"
            )
        assert response.status_code == 302
    response = client.post(
        HELP,
        form_data(subject="The sixth one", body="Still locked out, please help!"),
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "You&#x27;ve sent several messages in a short time" in html
    assert 'value="The sixth one"' in html
    assert "Still locked out, please help!" in html
    assert ContactMessage.objects.count() == 5

    # Another address has its own budget.
    other = client.post(HELP, form_data(), REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 302
    assert ContactMessage.objects.count() == 6


def test_a_members_budget_follows_them_not_their_address(
    client, member, other_member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(HELP, form_data(subject=f"Message {n}"), REMOTE_ADDR=f"192.0.2.{n}")
    assert client.post(HELP, form_data(), REMOTE_ADDR="192.0.2.99").status_code == 429
    client.force_login(other_member)
    assert client.post(HELP, form_data(), REMOTE_ADDR="192.0.2.1").status_code == 302


def test_invalid_messages_do_not_spend_the_budget(client, db):
    for _ in range(6):
        assert client.post(HELP, form_data(subject="")).status_code == 400
    assert client.post(HELP, form_data()).status_code == 302


def test_honeypot_pretends_success_and_saves_nothing(
    client, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(HELP, form_data(website="http://spam.example"), follow=True)
    assert response.redirect_chain == [("/help/?sent=1", 302)]
    assert "Thanks — we&#x27;ve got your message" in response.content.decode()
    assert ContactMessage.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert Notification.objects.count() == 0


def test_honeypot_is_hidden_from_people(client, db):
    html = client.get(HELP).content.decode()
    hidden = re.search(
        r'<div class="contact-form__hp" aria-hidden="true">.*?</div>\s*</div>', html, re.S
    )
    assert hidden and 'name="website"' in hidden.group(0) and 'tabindex="-1"' in hidden.group(0)


# --- The staff inbox -------------------------------------------------------------------


def test_inbox_sends_visitors_to_sign_in_and_refuses_members(client, member):
    message = make_message()
    for url in (INBOX, f"{INBOX}{message.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert "next=" in response["Location"]
    client.force_login(member)
    for url in (INBOX, f"{INBOX}{message.pk}/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "This page is for staff only." in response.content.decode()
    assert client.post(f"{INBOX}{message.pk}/", {"handled": "1"}).status_code == 403
    message.refresh_from_db()
    assert message.handled_at is None


def test_inbox_lists_unhandled_first_newest_first_then_handled(client, staff, clock):
    oldest = make_message(subject="Oldest open")
    clock.advance(minutes=5)
    handled = make_message(subject="Already handled")
    clock.advance(minutes=5)
    newest = make_message(subject="Newest open")
    clock.advance(minutes=5)
    contact_message_mark_handled(message=handled, actor=staff, handled=True)

    client.force_login(staff)
    html = client.get(INBOX).content.decode()
    positions = [html.index(f'id="message-{m.pk}"') for m in (newest, oldest, handled)]
    assert positions == sorted(positions)
    assert "(2 open)" in html


def test_inbox_filters_by_topic(client, staff):
    make_message(topic="billing", subject="About an invoice")
    make_message(topic="account", subject="About my login")
    client.force_login(staff)
    html = client.get(INBOX, {"topic": "account"}).content.decode()
    assert "About my login" in html and "About an invoice" not in html
    # An unknown topic shows everything rather than an error.
    html = client.get(INBOX, {"topic": "nonsense"}).content.decode()
    assert "About my login" in html and "About an invoice" in html


def test_inbox_is_paginated_without_a_query_per_message(
    client, staff, member, settings, django_assert_max_num_queries
):
    settings.FORUM_CONTACT_PER_PAGE = 3
    for n in range(4):
        make_message(subject=f"Visitor {n}")
        make_message(subject=f"Member {n}", user=member)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        html = client.get(INBOX).content.decode()
    assert html.count('id="message-') == 3
    assert "Page 1 of 3" in html
    page2 = client.get(INBOX, {"page": 2}).content.decode()
    assert "Page 2 of 3" in page2


def test_message_page_shows_plain_text_sender_and_reply_link(client, staff, member):
    message = make_message(
        user=member, subject="Re-check & <b>bold</b>", body="<script>alert(1)</script>\nLine 2"
    )
    client.force_login(staff)
    html = client.get(f"{INBOX}{message.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\nLine 2" in html
    assert f'href="{member.get_absolute_url()}"' in html
    assert f"mailto:{member.email}?subject=Re%3A%20Re-check%20%26%20%3Cb%3Ebold%3C/b%3E" in html
    assert "Mark handled" in html


def test_staff_mark_a_message_handled_and_reopen_it(client, staff):
    message = make_message()
    client.force_login(staff)
    url = f"{INBOX}{message.pk}/"

    response = client.post(url, {"handled": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == INBOX
    assert "“Charged twice” is marked handled." in response.content.decode()
    message.refresh_from_db()
    assert message.handled_by == staff and message.handled_at is not None
    assert "Reopen" in client.get(url).content.decode()

    response = client.post(url, {"handled": "0"}, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert "Reopened" in response.content.decode()
    message.refresh_from_db()
    assert message.handled_at is None and message.handled_by is None


def test_missing_message_is_404_for_staff(client, staff):
    client.force_login(staff)
    assert client.get(f"{INBOX}999/").status_code == 404


def test_a_member_without_an_account_email_is_asked_for_one(client, member):
    member.email = ""
    member.save(update_fields=["email"])  # test set-up: an account from before emails
    client.force_login(member)
    assert 'name="email"' in client.get(HELP).content.decode()
    response = client.post(HELP, form_data(email=""))
    assert response.status_code == 400
    assert "Write the email address we should reply to." in field_block(
        response.content.decode(), "email"
    )
    client.post(HELP, form_data(email="jamie.new@example.org"))
    assert ContactMessage.objects.get().email == "jamie.new@example.org"


def test_csrf_is_checked_for_visitors_and_members(member):
    from django.test import Client

    for signed_in in (False, True):
        browser = Client(enforce_csrf_checks=True)
        if signed_in:
            browser.force_login(member)
        assert browser.post(HELP, form_data()).status_code == 403
        assert ContactMessage.objects.count() == (1 if signed_in else 0)
        page = browser.get(HELP)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        response = browser.post(HELP, {**form_data(), "csrfmiddlewaretoken": token.group(1)})
        assert response.status_code == 302
        assert ContactMessage.objects.count() == (2 if signed_in else 1)
