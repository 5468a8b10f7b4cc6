"""A member appealing an action once, and a moderator deciding the appeal."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from forum import realtime
from moderation.formatting import grouped
from moderation.models import Appeal, ModerationAction, ReviewItem
from moderation.rules import APPEAL_TEXT_LENGTH
from moderation.services.log import in_language_of, log_action, note_line, tell
from moderation.services.reversal import action_reverse

Kind = ModerationAction.Kind


@transaction.atomic
def appeal_create(*, member: User, action: ModerationAction, text: str) -> Appeal:
    """Appeal an action once. It lands in the review queue for a different moderator."""
    text = (text or "").strip()
    low, high = APPEAL_TEXT_LENGTH
    if not low <= len(text) <= high:
        raise ValidationError(
            {
                "text": _(
                    "Explain your appeal in %(low)s–%(high)s characters (you wrote %(count)s)."
                )
                % {"low": low, "high": grouped(high), "count": len(text)}
            }
        )
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                action=action, member=member, text=text, created_at=timezone.now()
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("You have already appealed this action; one appeal per action.")
        ) from exc
    ReviewItem.objects.create(
        kind=ReviewItem.Kind.APPEAL,
        appeal=appeal,
        member=member,
        post=action.post,
        created_at=timezone.now(),
    )
    realtime.queue_changed()
    return appeal


def appeal_decide(*, actor, appeal: Appeal, reverse_it: bool, note: str) -> ModerationAction:
    """Uphold (one APPEAL_UPHOLD row, nothing else changes) or reverse (the action's own
    reversal path writes the one row, marked as on appeal). The member is told either
    way. Never by the moderator who took the action: permissions.check_claim_item refuses
    them before this is called."""
    action = appeal.action
    if reverse_it:
        if not note:
            with in_language_of(appeal.member):
                note = _("Reversed on appeal.")
        decision = action_reverse(actor=actor, action=action, note=note, appeal=appeal)
        if decision is False:
            raise ValidationError(
                _(
                    "There is nothing left to undo: that action was already reversed or has "
                    "ended. Uphold the appeal instead, with a note to the member."
                )
            )
        appeal.status = Appeal.Status.REVERSED
    else:
        appeal.status = Appeal.Status.UPHELD
        decision = log_action(
            Kind.APPEAL_UPHOLD,
            actor=actor,
            rules=action.rules,
            member=appeal.member,
            post=action.post,
            note=note,
            details={"appealed_action_id": action.pk, "appeal_id": appeal.pk},
        )
        with in_language_of(appeal.member):
            tell(
                appeal.member,
                subject=_("Your appeal has been decided"),
                body=_("A moderator reviewed your appeal and upheld the original decision.")
                + note_line(note),
                action=decision,
            )
    appeal.save(update_fields=["status"])
    return decision
