"""Moderators' notes on a member, and the member's inbox of moderation messages."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from moderation.models import MemberMessage, ModeratorNote


@transaction.atomic
def moderator_note_add(*, actor, member: User, text: str) -> ModeratorNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("The note is empty.")})
    if len(text) > 5000:
        raise ValidationError({"text": _("Keep notes under 5,000 characters.")})
    return ModeratorNote.objects.create(
        member=member, author=actor, text=text, created_at=timezone.now()
    )


@transaction.atomic
def member_messages_mark_read(*, member: User) -> int:
    return MemberMessage.objects.filter(recipient=member, read_at__isnull=True).update(
        read_at=timezone.now()
    )
