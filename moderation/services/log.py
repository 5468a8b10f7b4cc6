"""The shared outline of every moderation verb, written once: the one log row, telling
the member (inbox now, email after commit) with the appeal link, and a reversal's row
and message (marked as on appeal when an appeal decided it)."""

from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.mail import email_enqueue
from accounts.models import User
from moderation.models import Appeal, MemberMessage, ModerationAction
from moderation.rules import encode_rule_codes

Kind = ModerationAction.Kind


def log_action(kind: str, *, actor, rules: list[str] = (), **fields) -> ModerationAction:
    return ModerationAction.objects.create(
        kind=kind,
        actor=actor,
        rule_codes=encode_rule_codes(list(rules)),
        created_at=timezone.now(),
        **fields,
    )


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@contextmanager
def in_language_of(member: User):
    """What a member is told is written once, stored and emailed, so it is written in
    their language: the one they chose, else the site's (no browser is asking)."""
    with translation.override(getattr(member, "language", "") or settings.LANGUAGE_CODE):
        yield


def tell(recipient: User, *, subject: str, body: str, link: str = "", action=None) -> None:
    """An inbox message now, and the same words by email: queued in the outbox in this
    transaction, delivered by the task worker after commit, with retries."""
    MemberMessage.objects.create(
        recipient=recipient,
        subject=subject,
        body=body,
        link=link,
        action=action,
        created_at=timezone.now(),
    )
    if not recipient.email:
        return
    email_body = body + (f"\n\n{absolute_url(link)}" if link else "")
    email_enqueue(
        message=EmailMessage(
            subject=f"[{settings.SITE_NAME}] {subject}", body=email_body, to=[recipient.email]
        ),
        kind="moderation",
    )


def appeal_line(action: ModerationAction) -> str:
    path = reverse("moderation:appeal-create", kwargs={"action_id": action.pk})
    return _("If you think this was a mistake, you can appeal once: %(url)s") % {
        "url": absolute_url(path)
    }


def log_reversal(kind: str, *, appeal: Appeal | None, **fields) -> ModerationAction:
    """A reversal's one log row. On appeal the row itself records the appeal (kind
    "Reversed on appeal"), so deciding an appeal still writes exactly one row and that
    row ``reverses`` the action appealed."""
    if appeal is not None:
        kind = Kind.APPEAL_REVERSE
        fields["details"] = {**fields.get("details", {}), "appeal_id": appeal.pk}
    return log_action(kind, **fields)


def tell_reversal(
    recipient: User, *, subject: str, body: str, action, appeal: Appeal | None, link: str = ""
) -> None:
    with in_language_of(recipient):
        if appeal is not None:
            subject = _("Your appeal succeeded")
            body = _("A moderator reviewed your appeal and reversed the action.") + " " + body
        tell(recipient, subject=subject, body=body, link=link, action=action)


def note_line(note: str) -> str:
    return "\n\n" + _("Moderator's note: %(note)s") % {"note": note} if note else ""


def validate_reason(reason: str, *, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Write a short reason: the member will read it.")})
    if len(reason) > 2000:
        raise ValidationError({field: _("Keep the reason under 2,000 characters.")})
    return reason
