"""Contact messages: the service, the staff email task, the rate limit."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from accounts.models import OutboundEmail
from accounts.roles import Role
from forum import ratelimit
from forum.models import ContactMessage, Notification
from forum.services.contact import (
    contact_message_create,
    contact_message_mark_handled,
    staff_recipients,
)

pytestmark = pytest.mark.django_db


# The tests that run the worker commit for real (transaction=True): the worker reconnects
# to the database, which on PostgreSQL would drop a test's surrounding transaction — and a
# real commit is what "after commit" means anyway.
after_commit = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_tasks():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def send(**overrides):
    data = {
        "topic": ContactMessage.Topic.BILLING,
        "email": "visitor@example.org",
        "name": "Vee",
        "subject": "Charged twice",
        "body": "My card was charged twice for invoice 1042.\nCan you refund one?",
    }
    data.update(overrides)
    return contact_message_create(**data)


@after_commit
def test_visitor_message_is_saved_and_staff_are_emailed_only_when_the_task_runs(
    staff, admin_user, member, settings
):
    settings.SITE_URL = "https://forum.example"
    with transaction.atomic():
        message = send()
        assert DBTaskResult.objects.count() == 0  # enqueued only once this commits

    message.refresh_from_db()
    assert message.user is None
    assert message.email == "visitor@example.org"
    assert message.handled_at is None
    assert mail.outbox == []  # queued, not sent inside the request
    assert DBTaskResult.objects.count() == 2  # one delivery per staff address

    run_tasks()

    assert sorted(m.to[0] for m in mail.outbox) == sorted([staff.email, admin_user.email])
    email = mail.outbox[0]
    assert email.reply_to == ["visitor@example.org"]
    assert "Charged twice" in email.subject and "Billing" in email.subject
    assert "My card was charged twice for invoice 1042.\nCan you refund one?" in email.body
    assert "Vee <visitor@example.org>" in email.body
    assert f"https://forum.example/staff/contact/{message.pk}/" in email.body
    assert member.email not in [m.to[0] for m in mail.outbox]


@after_commit
def test_nothing_is_saved_enqueued_notified_or_sent_when_the_transaction_rolls_back(staff):
    with pytest.raises(RuntimeError), transaction.atomic():
        send(client_key="ip:10.0.0.1")
        raise RuntimeError("something later in the same transaction failed")
    run_tasks()

    assert ContactMessage.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert Notification.objects.count() == 0
    assert mail.outbox == []
    assert ratelimit.contact_budget_left("ip:10.0.0.1")[0] == 5


@after_commit
def test_member_message_uses_their_account_email_and_name(member, staff):
    message = send(user=member, email="", name="")
    assert message.user == member
    assert message.email == member.email
    assert message.name == "Jamie"
    run_tasks()
    assert mail.outbox[0].reply_to == [member.email]
    assert f"member @{member.username}" in mail.outbox[0].body
    # The member's own budget was spent.
    assert ratelimit.contact_budget_left(f"user:{member.pk}")[0] == 4


def test_member_cannot_put_another_address_in_place_of_their_own(member):
    message = send(user=member, email="someone-else@example.org")
    assert message.email == member.email


def test_staff_get_an_in_app_notification_but_not_the_sender(member, staff, admin_user):
    message = send(user=member)
    notes = Notification.objects.filter(kind=Notification.Kind.CONTACT)
    assert sorted(notes.values_list("recipient_id", flat=True)) == sorted([staff.pk, admin_user.pk])
    assert all(message.subject in note.text for note in notes)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"topic": "refund-please"}, "topic"),
        ({"email": ""}, "email"),
        ({"email": "not an address"}, "email"),
        ({"subject": " a "}, "subject"),
        ({"subject": "x" * 151}, "subject"),
        ({"body": "too short"}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"name": "n" * 101}, "name"),
    ],
)
def test_bad_input_is_refused_with_a_reason_next_to_the_field(overrides, field):
    with pytest.raises(ValidationError) as exc:
        send(**overrides)
    assert list(exc.value.message_dict) == [field]
    assert exc.value.message_dict[field][0].endswith((".", "!"))
    assert ContactMessage.objects.count() == 0


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValidationError) as exc:
        send(topic="", email="", subject="", body="")
    assert set(exc.value.message_dict) == {"topic", "email", "subject", "body"}


def test_control_characters_are_stripped_and_subject_is_one_line():
    message = send(
        subject="Refund\r\nBcc: spam@example.org\x00",
        body="Line one\x00\x07\r\nLine two\twith a tab\x1b[31m",
        name="Vee\x0b",
    )
    assert message.subject == "Refund Bcc: spam@example.org"
    assert message.body == "Line one\nLine two\twith a tab[31m"
    assert message.name == "Vee"


def test_mark_handled_and_reopen(staff):
    message = send()
    assert contact_message_mark_handled(message=message, actor=staff, handled=True) is True
    message.refresh_from_db()
    assert message.handled_at is not None and message.handled_by == staff
    assert contact_message_mark_handled(message=message, actor=staff, handled=True) is False

    assert contact_message_mark_handled(message=message, actor=staff, handled=False) is True
    message.refresh_from_db()
    assert message.handled_at is None and message.handled_by is None
    assert contact_message_mark_handled(message=message, actor=staff, handled=False) is False


def test_recipients_are_active_employees_admins_and_the_contact_address(
    make_user, staff, admin_user, moderator, member, settings
):
    employee_moderator = make_user("mo", role=Role.MODERATOR, job_title="Support Lead")
    gone = make_user("gone", role=Role.STAFF, job_title="Former engineer")
    gone.is_active = False
    gone.save(update_fields=["is_active"])  # test set-up: no service deactivates yet
    settings.CONTACT_EMAIL = "support@example.com"

    assert sorted(staff_recipients()) == sorted(
        [staff.email, admin_user.email, employee_moderator.email, "support@example.com"]
    )

    del settings.CONTACT_EMAIL
    assert "support@example.com" not in staff_recipients()
    assert moderator.email not in staff_recipients()  # a volunteer moderator, no Staff badge
    assert member.email not in staff_recipients()


@after_commit
def test_the_contact_address_alone_receives_mail_when_there_is_no_staff(db, settings):
    settings.CONTACT_EMAIL = "support@example.com"
    send()
    run_tasks()
    assert [m.to for m in mail.outbox] == [["support@example.com"]]


def test_staff_emails_are_stored_with_the_message_in_one_transaction(staff, admin_user):
    """The emails are outbox rows written beside the message, so neither exists without
    the other; the task worker delivers them (with retries) after commit."""
    message = send()
    rows = OutboundEmail.objects.order_by("pk")
    assert sorted(row.to[0] for row in rows) == sorted([staff.email, admin_user.email])
    assert {row.kind for row in rows} == {"contact"}
    assert {tuple(row.reply_to) for row in rows} == {(message.email,)}
    assert {row.status for row in rows} == {OutboundEmail.Status.QUEUED}
    assert mail.outbox == []


def test_contact_budget_is_five_an_hour_per_client(settings):
    assert ratelimit.contact_budget_left("ip:10.0.0.1")[0] == 5
    for _ in range(5):
        ratelimit.record_contact("ip:10.0.0.1")
    left, reset_in = ratelimit.contact_budget_left("ip:10.0.0.1")
    assert left == 0
    assert 0 < reset_in <= 3601
    assert ratelimit.contact_budget_left("ip:10.0.0.2")[0] == 5

    settings.FORUM_CONTACT_RATE = "7/h"
    assert ratelimit.contact_budget_left("ip:10.0.0.1")[0] == 2


def test_client_key_is_the_member_or_the_address(member):
    from django.contrib.auth.models import AnonymousUser

    assert ratelimit.contact_client_key(user=member, remote_addr="1.2.3.4") == f"user:{member.pk}"
    assert ratelimit.contact_client_key(user=AnonymousUser(), remote_addr="1.2.3.4") == "ip:1.2.3.4"


@after_commit
def test_a_staff_member_who_writes_is_not_emailed_their_own_message(staff, admin_user):
    send(user=staff)
    run_tasks()
    assert [m.to for m in mail.outbox] == [[admin_user.email]]
