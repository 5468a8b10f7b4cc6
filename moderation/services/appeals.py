"""A member appealing an action once, and a moderator deciding the appeal."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from forum import realtime
from moderation.models import Appeal, ModerationAction, ReviewItem
from moderation.rules import APPEAL_TEXT_LENGTH
from moderation.services.log import log_action, note_line, tell
from moderation.services.reversal import action_reverse

Kind = ModerationAction.Kind


@transaction.atomic
def appeal_create(*, member: User, action: ModerationAction, text: str) -> Appeal:
    """Appeal an action once. It lands in the review queue for a different moderator."""
    text = (text or "").strip()
    low, high = APPEAL_TEXT_LENGTH
    if not low <= len(text) <= high:
        raise ValidationError(
            {"text": f"Explain your appeal in {low}–{high:,} characters (you wrote {len(text)})."}
        )
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                action=action, member=member, text=text, created_at=timezone.now()
            )
    except IntegrityError as exc:
        raise ValidationError(
            "You have already appealed this action; one appeal per action."
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
        decision = action_reverse(
            actor=actor, action=action, note=note or "Reversed on appeal.", appeal=appeal
        )
        if decision is False:
            raise ValidationError(
                "There is nothing left to undo: that action was already reversed or has "
                "ended. Uphold the appeal instead, with a note to the member."
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
        tell(
            appeal.member,
            subject="Your appeal has been decided",
            body="A moderator reviewed your appeal and upheld the original decision."
            + note_line(note),
            action=decision,
        )
    appeal.save(update_fields=["status"])
    return decision
