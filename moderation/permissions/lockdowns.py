"""Lockdowns in force and the words every write refuses with under one, and who may
set or lift one."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from moderation import selectors
from moderation.formatting import format_when, rule_phrase
from moderation.models import Lockdown
from moderation.permissions.moderators import check_moderate

_LOCKDOWN_CACHE = "_porchlight_active_lockdowns"


def lockdowns_for(*, thread=None, board=None) -> list[Lockdown]:
    """Active lockdowns for a thread (its own and its board's) or a board, memoised on the
    object so a page that asks several checks runs one query."""
    target = thread if thread is not None else board
    if not hasattr(target, _LOCKDOWN_CACHE):
        setattr(target, _LOCKDOWN_CACHE, selectors.active_lockdowns(thread=thread, board=board))
    return getattr(target, _LOCKDOWN_CACHE)


def remember_lockdowns(thread, lockdowns) -> None:
    """Let ``lockdowns_for(thread=…)`` answer from lockdowns read earlier
    (``selectors.lockdowns_not_ended``, which the thread page keeps in the page cache):
    those in force now."""
    now = timezone.now()
    in_force = [lockdown for lockdown in lockdowns if lockdown.is_active_at(now)]
    setattr(thread, _LOCKDOWN_CACHE, in_force)


def lockdown_message(lockdown: Lockdown, *, user=None) -> str:
    where = "thread" if lockdown.thread_id else "board"
    if lockdown.kind == Lockdown.Kind.LOCK:
        what = f"Moderators locked this {where}: reading continues, new posts are paused"
    else:
        minutes = lockdown.slow_minutes
        what = (
            f"Moderators put this {where} in slow mode: one post per member every "
            f"{minutes} minute{'s' if minutes != 1 else ''}"
        )
    until = f" until {format_when(lockdown.ends_at, user)}" if lockdown.ends_at else ""
    why = f" Why: {lockdown.reason}" if lockdown.reason else ""
    if why and not why.endswith((".", "!", "?")):
        why += "."
    meanwhile = f" Meanwhile: {lockdown.go_instead}" if lockdown.go_instead else ""
    return f"{what}{until}, under {rule_phrase(lockdown.rules)}.{why}{meanwhile}"


def is_exempt_from_lockdowns(user) -> bool:
    return bool(getattr(user, "is_employee", False) or getattr(user, "is_moderator", False))


def require_lockdowns_allow_post(user, *, thread=None, board=None) -> None:
    """Locks stop members (staff and moderators may still post, marked as such); slow
    mode lets each member post once per N minutes in the thread or board it covers."""
    if is_exempt_from_lockdowns(user):
        return
    for lockdown in lockdowns_for(thread=thread, board=board):
        if lockdown.kind == Lockdown.Kind.LOCK:
            raise PermissionDenied(lockdown_message(lockdown, user=user))
    for lockdown in lockdowns_for(thread=thread, board=board):
        if lockdown.kind == Lockdown.Kind.SLOW:
            last = selectors.last_post_time(
                user=user, thread_id=lockdown.thread_id, board_id=lockdown.board_id
            )
            if last is None:
                continue
            next_allowed = last + timedelta(minutes=lockdown.slow_minutes)
            if timezone.now() < next_allowed:
                raise PermissionDenied(
                    f"{lockdown_message(lockdown, user=user)} You can post again at "
                    f"{format_when(next_allowed, user)} — your text is kept."
                )


def check_lockdown(user, target) -> None:
    check_moderate(user)
