"""Blocking a member from writing, extending or replacing a block, lifting it, and
putting back what a reversal must restore."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from moderation.formatting import format_when, rule_phrase
from moderation.models import Appeal, Block, ModerationAction
from moderation.rules import BLOCK_DURATIONS, clean_rule_codes, encode_rule_codes
from moderation.selectors import active_block
from moderation.services.log import (
    appeal_line,
    in_language_of,
    log_action,
    log_reversal,
    note_line,
    tell,
    tell_reversal,
    validate_reason,
)

Kind = ModerationAction.Kind


def block_until(block: Block, reader) -> str:
    """'until 25 Nov 2026, 14:00 (Europe/Paris)' or 'until a moderator lifts it'."""
    if block.ends_at is None:
        return _("until a moderator lifts it")
    return _("until %(when)s") % {"when": format_when(block.ends_at, reader)}


@transaction.atomic
def block_create(
    *, actor, member: User, duration: str, rule_codes, reason: str, on_existing: str | None = None
) -> ModerationAction:
    """Block a member from writing for a chosen duration, citing rules. If the member is
    already blocked, ``on_existing`` must say what to do: "extend" adds the duration to
    the current end, "replace" ends the current block and starts this one. Nothing is
    ever silently duplicated: a member never has two blocks in force. One log row; the
    member is told at once, in-app and (after commit) by email."""
    if duration not in BLOCK_DURATIONS:
        choices = ", ".join(str(label) for label, _length in BLOCK_DURATIONS.values())
        raise ValidationError(
            {"duration": _("Choose a duration: %(choices)s.") % {"choices": choices}}
        )
    rules = clean_rule_codes(rule_codes)
    reason = validate_reason(reason)
    User.objects.select_for_update().filter(pk=member.pk).first()  # serialise blocks per member
    now = timezone.now()
    label, length = BLOCK_DURATIONS[duration]
    current = active_block(member.pk, now=now)
    if current is not None and current.kind == Block.Kind.BAN:
        raise ValidationError(_("This account is banned; lift the ban instead of blocking it."))
    if current is not None and on_existing not in ("extend", "replace"):
        raise ValidationError(
            {
                "on_existing": _(
                    "%(name)s is already blocked under %(rules)s, %(until)s. Choose whether to "
                    "extend that block or replace it."
                )
                % {
                    "name": member.public_name,
                    "rules": rule_phrase(current.rules),
                    "until": block_until(current, actor),
                }
            }
        )
    if current is not None and on_existing == "extend":
        previous_end = current.ends_at
        if previous_end is None:
            raise ValidationError(
                {
                    "on_existing": _(
                        "%(name)s's block already lasts until a moderator lifts it, so "
                        "extending it would change nothing."
                    )
                    % {"name": member.public_name}
                }
            )
        current.ends_at = None if length is None else previous_end + length
        current.save(update_fields=["ends_at"])
        action = log_action(
            Kind.BLOCK_EXTEND,
            actor=actor,
            rules=rules,
            member=member,
            block=current,
            note=reason,
            details={
                "previous_ends_at": previous_end.isoformat(),
                "new_ends_at": current.ends_at.isoformat() if current.ends_at else None,
            },
        )
        block = current
    else:
        details = {}
        if current is not None:  # replace
            current.lifted_at = now
            current.lifted_by = actor
            # Stored in English and translated where it is shown.
            current.lift_note = gettext_noop("Replaced by a new block.")
            current.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
            details["replaced_block_id"] = current.pk
        block = Block.objects.create(
            member=member,
            kind=Block.Kind.BLOCK,
            rule_codes=encode_rule_codes(rules),
            reason=reason,
            starts_at=now,
            ends_at=now + length if length else None,
            created_by=actor,
        )
        action = log_action(
            Kind.BLOCK,
            actor=actor,
            rules=rules,
            member=member,
            block=block,
            note=reason,
            details=details,
        )
    with in_language_of(member):
        words = {
            "duration": label,
            "rules": rule_phrase(rules),
            "until": block_until(block, member),
        }
        if action.kind == Kind.BLOCK_EXTEND:
            subject = _("Your block has been extended")
            opening = _(
                "Moderators extended the block on your account by %(duration)s under %(rules)s, "
                "%(until)s."
            )
        else:
            subject = _("Your account is blocked from posting")
            opening = _(
                "Moderators blocked your account from posting, replying, editing, flagging and "
                "voting under %(rules)s, %(until)s."
            )
        tell(
            member,
            subject=subject,
            body=(
                opening % words
                + "\n\n"
                + _("Why: %(reason)s") % {"reason": reason}
                + "\n\n"
                + _("You can still read, sign in, export your data and delete your account.")
                + "\n\n"
                + appeal_line(action)
            ),
            link=reverse("moderation:inbox"),
            action=action,
        )
    return action


def _block_origin(block: Block) -> ModerationAction | None:
    """The action that created a block."""
    return (
        ModerationAction.objects.filter(block=block, kind__in=[Kind.BLOCK, Kind.SPAM_DELETE])
        .order_by("created_at", "pk")
        .first()
    )


def blocks_revive(block_ids, *, now) -> list[Block]:
    """Bring back blocks that a later block or ban ended early, if they would still be in
    force: the state a reversal must restore."""
    revived = []
    for row in Block.objects.select_for_update().filter(pk__in=block_ids or []):
        if row.lifted_at is not None and (row.ends_at is None or row.ends_at > now):
            row.lifted_at = None
            row.lifted_by = None
            row.lift_note = ""
            row.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
            revived.append(row)
    return revived


@transaction.atomic
def block_lift(
    *,
    actor,
    block: Block,
    note: str = "",
    reverses: ModerationAction | None = None,
    appeal: Appeal | None = None,
) -> ModerationAction | bool:
    """End a block early; the log row reverses the block. If this block had replaced an
    earlier one that would still be in force, that one comes back (a reversal restores
    exactly what was there) and the member is told so. Returns False if it had already
    ended. Spam bans are lifted only by reversing the spam deletion."""
    note = (note or "").strip()
    locked = Block.objects.select_for_update(of=("self",)).select_related("member").get(pk=block.pk)
    if locked.kind == Block.Kind.BAN:
        raise ValidationError(
            _(
                "A spam ban is lifted by reversing the spam deletion in the moderation log "
                "(admins only), which also brings the posts back."
            )
        )
    now = timezone.now()
    if not locked.is_active_at(now):
        return False
    locked.lifted_at = now
    locked.lifted_by = actor
    locked.lift_note = note
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    block.lifted_at, block.lifted_by, block.lift_note = now, actor, note
    origin = _block_origin(locked)
    if reverses is None and origin is not None and not hasattr(origin, "reversed_by"):
        reverses = origin
    replaced_id = origin.details.get("replaced_block_id") if origin is not None else None
    revived = blocks_revive([replaced_id] if replaced_id else [], now=now)
    action = log_reversal(
        Kind.BLOCK_LIFT,
        appeal=appeal,
        actor=actor,
        rules=locked.rules,
        member_id=locked.member_id,
        block=locked,
        note=note,
        reverses=reverses,
        details={"revived_block_ids": [row.pk for row in revived]},
    )
    with in_language_of(locked.member):
        if revived:
            earlier = revived[0]
            body = _(
                "A moderator lifted the block on your account. The block it had replaced, under "
                "%(rules)s, applies again %(until)s."
            ) % {
                "rules": rule_phrase(earlier.rules),
                "until": block_until(earlier, locked.member),
            }
        else:
            body = _("A moderator lifted the block on your account: you can post again.")
        tell_reversal(
            locked.member,
            subject=_("Your block has been lifted"),
            body=body + note_line(note),
            action=action,
            appeal=appeal,
        )
    return action


def block_extend_reverse(
    *, actor, action: ModerationAction, note: str, appeal: Appeal | None = None
) -> ModerationAction | bool:
    """Put a block's end back where it was before an extension. False if the block is no
    longer in force (nothing to put back)."""
    block = (
        Block.objects.select_for_update(of=("self",))
        .select_related("member")
        .get(pk=action.block_id)
    )
    now = timezone.now()
    if not block.is_active_at(now):
        return False
    extended_to = action.details.get("new_ends_at", "missing")
    current = block.ends_at.isoformat() if block.ends_at else None
    if extended_to != "missing" and extended_to != current:
        raise ValidationError(
            _("The block changed again after this extension; reverse the later change first.")
        )
    previous = action.details.get("previous_ends_at")
    block.ends_at = datetime.fromisoformat(previous) if previous else None
    block.save(update_fields=["ends_at"])
    reversal = log_reversal(
        Kind.BLOCK_LIFT,
        appeal=appeal,
        actor=actor,
        rules=action.rules,
        member_id=block.member_id,
        block=block,
        note=note,
        reverses=action,
        details={"restored_ends_at": previous},
    )
    with in_language_of(block.member):
        if block.is_active_at(now):
            body = _("The extension of your block was reversed; it now lasts %(until)s.") % {
                "until": block_until(block, block.member)
            }
        else:
            body = _(
                "The extension of your block was reversed, so the block has ended: you can post "
                "again."
            )
        tell_reversal(
            block.member,
            subject=_("A block extension was reversed"),
            body=body + note_line(note),
            action=reversal,
            appeal=appeal,
        )
    return reversal
