"""Private messages to staff from the /help contact form (visitors included).

A message is stored first — the staff inbox (/staff/contact/) is where it lives — and in
the same transaction staff are told: an in-app notification
(``notifications.contact_message_received``) and one email per staff address, queued in
the outbox (``accounts.mail``) and delivered by the task worker after commit, with
retries, so a slow or broken mail server never blocks the page or loses the mail, and a
rolled-back message is never mailed. The email's Reply-To is the sender, so staff answer
with their mail client.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from accounts.mail import email_enqueue
from accounts.models import User
from accounts.roles import staff_team_q
from forum import ratelimit
from forum.models import ContactMessage
from forum.services import notifications
from forum.services.validation import without_control_chars

SUBJECT_MIN = 3
BODY_MIN = 10
NAME_MAX = 100
EMAIL_MAX = 254


def _one_line(text: str) -> str:
    """Control characters out, runs of whitespace (newlines included) to one space."""
    return " ".join(without_control_chars(text or "").split())


def validate_contact_message(
    *, topic: str, email: str, subject: str, body: str, name: str = "", user: User | None = None
) -> dict:
    """The message as it will be stored, or a ValidationError naming every field that
    needs fixing (so the form can show all of them at once). Members are answered at their
    account address when they have one; ``email`` is then ignored."""
    errors: dict[str, str] = {}
    if topic not in ContactMessage.Topic.values:
        errors["topic"] = gettext("Choose what your message is about.")

    account_email = (user.email or "").strip() if user is not None else ""
    email = account_email or _one_line(email)
    if not email:
        errors["email"] = gettext("Write the email address we should reply to.")
    elif len(email) > EMAIL_MAX:
        errors["email"] = gettext("That address is longer than %(max)s characters; check it.") % {
            "max": EMAIL_MAX
        }
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = gettext(
                "That doesn't look like an email address (it should be like "
                "name@example.com). Check it so we can reply."
            )

    name = _one_line(name)
    if not name and user is not None:
        name = user.public_name
    if len(name) > NAME_MAX:
        errors["name"] = gettext(
            "Names can be at most %(max)s characters; this one has %(count)s."
        ) % {"max": NAME_MAX, "count": len(name)}

    subject = _one_line(subject)
    if len(subject) < SUBJECT_MIN:
        errors["subject"] = gettext(
            "Give your message a subject of at least %(min)s characters, so "
            "we can tell what it is about."
        ) % {"min": SUBJECT_MIN}
    elif len(subject) > ContactMessage.SUBJECT_MAX:
        errors["subject"] = gettext(
            "Subjects can be at most %(max)s characters; this one has "
            "%(count)s. Shorten it — everything you wrote is kept."
        ) % {"max": ContactMessage.SUBJECT_MAX, "count": len(subject)}

    body = without_control_chars(body or "").replace("\r\n", "\n").strip()
    if len(body) < BODY_MIN:
        errors["body"] = gettext(
            "Tell us a little more (at least %(min)s characters): what "
            "happened, and what you need from us."
        ) % {"min": BODY_MIN}
    elif len(body) > ContactMessage.BODY_MAX:
        errors["body"] = gettext(
            "Messages can be at most %(max)s characters; this one has "
            "%(count)s. Shorten it, or send the rest in a second message."
        ) % {
            "max": number_format(ContactMessage.BODY_MAX, force_grouping=True),
            "count": number_format(len(body), force_grouping=True),
        }

    if errors:
        raise ValidationError(errors)
    return {"topic": topic, "email": email, "subject": subject, "body": body, "name": name}


@transaction.atomic
def contact_message_create(
    *,
    topic: str,
    email: str,
    subject: str,
    body: str,
    name: str = "",
    user: User | None = None,
    client_key: str = "",
) -> ContactMessage:
    """Store a contact message from a member (``user``; their account email is used) or a
    visitor (``email`` required). Raises ValidationError keyed by field, with nothing
    saved. In the same transaction staff get their in-app notification and their emails
    are queued in the outbox (delivered by the task worker once this commits); after
    commit one use of the sender's contact budget is recorded (``client_key``; for members
    it defaults to their own key). On rollback none of these happen.

    The caller asked ``check_send_contact_message`` first."""
    if user is not None and not user.is_authenticated:
        user = None
    cleaned = validate_contact_message(
        topic=topic, email=email, subject=subject, body=body, name=name, user=user
    )
    message = ContactMessage.objects.create(user=user, created_at=timezone.now(), **cleaned)
    notifications.contact_message_received(message=message)
    key = client_key or (ratelimit.contact_client_key(user=user, remote_addr=None) if user else "")
    if key:
        transaction.on_commit(lambda: ratelimit.record_contact(key))
    contact_message_email_staff(message=message)
    return message


@transaction.atomic
def contact_message_mark_handled(*, message: ContactMessage, actor: User, handled: bool) -> bool:
    """Mark a message handled (by ``actor``, now) or reopen it (``handled=False``).
    Returns False when it already was in that state; ``message`` is updated in place."""
    locked = ContactMessage.objects.select_for_update().get(pk=message.pk)
    if (locked.handled_at is not None) == handled:
        message.handled_at, message.handled_by_id = locked.handled_at, locked.handled_by_id
        return False
    locked.handled_at = timezone.now() if handled else None
    locked.handled_by = actor if handled else None
    locked.save(update_fields=["handled_at", "handled_by"])
    message.handled_at, message.handled_by = locked.handled_at, locked.handled_by
    return True


# --- The staff email ---------------------------------------------------------------------


def staff_recipients(*, exclude_user_id: int | None = None) -> list[str]:
    """Where contact mail goes: every active employee (staff role, or a moderator with a job
    title — ``User.is_employee``) and site admin with an address, plus
    ``settings.CONTACT_EMAIL`` (a shared support mailbox) when set. No duplicates; a staff
    member who wrote the message is left out (as in the in-app notification)."""
    staff = User.objects.filter(is_active=True).filter(staff_team_q())
    if exclude_user_id is not None:
        staff = staff.exclude(pk=exclude_user_id)
    addresses = list(staff.exclude(email="").order_by("pk").values_list("email", flat=True))
    extra = getattr(settings, "CONTACT_EMAIL", None)
    if extra:
        addresses.append(extra)
    seen: set[str] = set()
    unique = []
    for address in addresses:
        if address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return unique


def _email_text(message: ContactMessage) -> str:
    link = settings.SITE_URL.rstrip("/") + reverse(
        "forum:contact-message", kwargs={"message_id": message.pk}
    )
    if message.user_id:
        profile = settings.SITE_URL.rstrip("/") + message.user.get_absolute_url()
        sender = f"{message.name} <{message.email}> — member @{message.user.username} ({profile})"
    else:
        sender = f"{message.name or 'A visitor'} <{message.email}> — not signed in"
    return (
        f"Topic: {message.get_topic_display()}\n"
        f"From: {sender}\n"
        f"Subject: {message.subject}\n\n"
        f"{message.body}\n\n"
        f"---\nReply to this email to answer {message.email} directly.\n"
        f"In the staff inbox (mark it handled there): {link}\n"
    )


@transaction.atomic
def contact_message_email_staff(*, message: ContactMessage) -> int:
    """Queue the message for every staff address (``staff_recipients``), one email each,
    Reply-To the sender, in the outbox. Returns how many were queued (0 when there is
    nobody to tell)."""
    recipients = staff_recipients(exclude_user_id=message.user_id)
    subject = f"[{settings.SITE_NAME}] Contact ({message.get_topic_display()}): {message.subject}"
    text = _email_text(message)
    for address in recipients:
        email_enqueue(
            message=EmailMessage(
                subject=subject, body=text, to=[address], reply_to=[message.email]
            ),
            kind="contact",
        )
    return len(recipients)
