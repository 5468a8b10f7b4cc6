"""Locking a thread or board, or putting it in slow mode, and lifting that early."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from forum import realtime
from forum.models import Board, Thread
from moderation.formatting import format_when, grouped, rule_phrase
from moderation.models import Appeal, Lockdown, ModerationAction
from moderation.rules import SLOW_MODE_MINUTES, clean_rule_codes, encode_rule_codes
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


def _lockdown_changed(lockdown: Lockdown) -> None:
    if lockdown.thread_id:
        realtime.thread_changed(lockdown.thread_id)
    else:
        realtime.board_changed(lockdown.board_id)


def _lock_target(*, thread: Thread | None, board: Board | None) -> None:
    """Serialise lockdown changes per thread or board."""
    if thread is not None:
        Thread.objects.select_for_update().filter(pk=thread.pk).first()
    else:
        Board.objects.select_for_update().filter(pk=board.pk).first()


@transaction.atomic
def lockdown_set(
    *,
    actor,
    kind: str,
    rule_codes,
    reason: str,
    thread: Thread | None = None,
    board: Board | None = None,
    slow_minutes: int | None = None,
    ends_at: datetime | None = None,
    go_instead: str = "",
) -> ModerationAction:
    """Lock a thread or board, or put it in slow mode, citing rules. A new lockdown on the
    same target replaces the active one (recorded, so reversing puts the old one back).
    One log row; a thread's author (unless a moderator) is told, with the appeal link."""
    if (thread is None) == (board is None):
        raise ValidationError(_("A lockdown applies to one thread or one board."))
    if kind not in Lockdown.Kind.values:
        raise ValidationError({"kind": _("Choose slow mode or lock.")})
    rules = clean_rule_codes(rule_codes)
    reason = validate_reason(reason)
    go_instead = (go_instead or "").strip()
    if len(go_instead) > 300:
        raise ValidationError(
            {
                "go_instead": _(
                    "Keep “where to go meanwhile” under 300 characters (this is %(count)s)."
                )
                % {"count": len(go_instead)}
            }
        )
    now = timezone.now()
    if kind == Lockdown.Kind.SLOW:
        low, high = SLOW_MODE_MINUTES
        if (
            isinstance(slow_minutes, bool)
            or not isinstance(slow_minutes, int)
            or not low <= slow_minutes <= high
        ):
            raise ValidationError(
                {
                    "slow_minutes": _(
                        "Slow mode needs a number of minutes from %(low)s to %(high)s."
                    )
                    % {"low": low, "high": grouped(high)}
                }
            )
    else:
        slow_minutes = None
    if ends_at is not None and ends_at <= now:
        raise ValidationError({"ends_at": _("The reopen time must be in the future.")})
    target = {"thread": thread} if thread is not None else {"board": board}
    _lock_target(thread=thread, board=board)
    replaced = [
        row
        for row in Lockdown.objects.select_for_update().filter(lifted_at__isnull=True, **target)
        if row.is_active_at(now)
    ]
    same = [
        row
        for row in replaced
        if (row.kind, row.slow_minutes, row.rules, row.reason, row.ends_at, row.go_instead)
        == (kind, slow_minutes, rules, reason, ends_at, go_instead.strip())
    ]
    if same:
        # The same lockdown submitted twice (a double click): nothing changes.
        return False
    for row in replaced:
        row.lifted_at = now
        row.lifted_by = actor
        row.lift_note = gettext_noop("Replaced by a new lockdown.")
        row.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    lockdown = Lockdown.objects.create(
        kind=kind,
        slow_minutes=slow_minutes,
        rule_codes=encode_rule_codes(rules),
        reason=reason,
        go_instead=go_instead,
        starts_at=now,
        ends_at=ends_at,
        created_by=actor,
        **target,
    )
    thread_author = thread.author if thread is not None else None
    action = log_action(
        Kind.LOCK if kind == Lockdown.Kind.LOCK else Kind.SLOW_MODE,
        actor=actor,
        rules=rules,
        lockdown=lockdown,
        member=thread_author,
        note=reason,
        details={"replaced_lockdown_ids": [row.pk for row in replaced]},
        **target,
    )
    if thread_author is not None and not thread_author.is_moderator:
        with in_language_of(thread_author):
            words = {
                "minutes": slow_minutes,
                "title": thread.title,
                "rules": rule_phrase(rules),
                "when": format_when(ends_at, thread_author),
            }
            if kind == Lockdown.Kind.LOCK:
                subject = _("Your thread was locked")
                opening = (
                    _("Moderators locked your thread “%(title)s” until %(when)s under %(rules)s.")
                    if ends_at
                    else _("Moderators locked your thread “%(title)s” under %(rules)s.")
                )
            else:
                subject = _("Your thread was put in slow mode (%(minutes)s min)") % words
                opening = (
                    _(
                        "Moderators put in slow mode (%(minutes)s min) your thread “%(title)s” "
                        "until %(when)s under %(rules)s."
                    )
                    if ends_at
                    else _(
                        "Moderators put in slow mode (%(minutes)s min) your thread “%(title)s” "
                        "under %(rules)s."
                    )
                )
            tell(
                thread_author,
                subject=subject,
                body=opening % words
                + "\n\n"
                + _("Why: %(reason)s") % {"reason": reason}
                + f"\n\n{appeal_line(action)}",
                link=thread.get_absolute_url(),
                action=action,
            )
    _lockdown_changed(lockdown)
    return action


@transaction.atomic
def lockdown_lift(
    *,
    actor,
    lockdown: Lockdown,
    note: str = "",
    reverses: ModerationAction | None = None,
    appeal: Appeal | None = None,
) -> ModerationAction | bool:
    """Unlock early. If the lockdown had replaced an earlier one that would still be in
    force, that one comes back, so a reversal restores exactly what was there. Returns
    False if it had already ended. A thread's author is told."""
    note = (note or "").strip()
    _lock_target(thread=lockdown.thread, board=lockdown.board)
    locked = Lockdown.objects.select_for_update().get(pk=lockdown.pk)
    now = timezone.now()
    if not locked.is_active_at(now):
        return False
    locked.lifted_at = now
    locked.lifted_by = actor
    locked.lift_note = note
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    lockdown.lifted_at, lockdown.lifted_by, lockdown.lift_note = now, actor, note
    origin = ModerationAction.objects.filter(
        lockdown=locked, kind__in=[Kind.LOCK, Kind.SLOW_MODE]
    ).first()
    revived = []
    if origin is not None:
        for row in Lockdown.objects.select_for_update().filter(
            pk__in=origin.details.get("replaced_lockdown_ids", [])
        ):
            if row.lifted_at is not None and (row.ends_at is None or row.ends_at > now):
                row.lifted_at = None
                row.lifted_by = None
                row.lift_note = ""
                row.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
                revived.append(row.pk)
    if reverses is None and origin is not None and not hasattr(origin, "reversed_by"):
        reverses = origin
    member = origin.member if origin else None
    action = log_reversal(
        Kind.UNLOCK,
        appeal=appeal,
        actor=actor,
        rules=locked.rules,
        lockdown=locked,
        thread=locked.thread,
        board=locked.board,
        member=member,
        note=note,
        reverses=reverses,
        details={"revived_lockdown_ids": revived},
    )
    if member is not None and locked.thread is not None and not member.is_moderator:
        with in_language_of(member):
            words = {"title": locked.thread.title}
            if locked.kind == Lockdown.Kind.LOCK:
                subject = _("The lock on your thread was lifted")
                body = _("Moderators lifted the lock on your thread “%(title)s”.") % words
            else:
                subject = _("The slow mode on your thread was lifted")
                body = _("Moderators lifted the slow mode on your thread “%(title)s”.") % words
            if revived:
                body += " " + _("The lockdown it had replaced applies again.")
            tell_reversal(
                member,
                subject=subject,
                body=body + note_line(note),
                link=locked.thread.get_absolute_url(),
                action=action,
                appeal=appeal,
            )
    _lockdown_changed(locked)
    return action
