"""Lockdowns in force and the words every write refuses with under one, and who may
set or lift one."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    minutes = lockdown.slow_minutes
    if lockdown.kind == Lockdown.Kind.LOCK and lockdown.thread_id:
        what = _("Moderators locked this thread: reading continues, new posts are paused")
    elif lockdown.kind == Lockdown.Kind.LOCK:
        what = _("Moderators locked this board: reading continues, new posts are paused")
    elif lockdown.thread_id:
        what = ngettext(
            "Moderators put this thread in slow mode: one post per member every %(minutes)s minute",
            "Moderators put this thread in slow mode: one post per member every %(minutes)s "
            "minutes",
            minutes,
        ) % {"minutes": minutes}
    else:
        what = ngettext(
            "Moderators put this board in slow mode: one post per member every %(minutes)s minute",
            "Moderators put this board in slow mode: one post per member every %(minutes)s minutes",
            minutes,
        ) % {"minutes": minutes}
    rules = rule_phrase(lockdown.rules)
    if lockdown.ends_at:
        text = _("%(what)s until %(when)s, under %(rules)s.") % {
            "what": what,
            "when": format_when(lockdown.ends_at, user),
            "rules": rules,
        }
    else:
        text = _("%(what)s, under %(rules)s.") % {"what": what, "rules": rules}
    if lockdown.reason:
        why = " " + _("Why: %(reason)s") % {"reason": lockdown.reason}
        text += why if why.endswith((".", "!", "?")) else why + "."
    if lockdown.go_instead:
        text += " " + _("Meanwhile: %(where)s") % {"where": lockdown.go_instead}
    return text


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
                    _("%(message)s You can post again at %(when)s — your text is kept.")
                    % {
                        "message": lockdown_message(lockdown, user=user),
                        "when": format_when(next_allowed, user),
                    }
                )


def check_lockdown(user, target) -> None:
    check_moderate(user)
