"""Who moves a thread to another board, merges it into another, and undoes either: staff
workflow (employees, moderators and admins), never a member's. Each spends the write
budget like other staff writes."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from accounts.permissions import require_signed_in
from forum.permissions.common import is_staff_team, require_write_budget


def _require_thread_steward(user, action: str, refusal: str) -> None:
    require_signed_in(user, action=action)
    if not is_staff_team(user):
        raise PermissionDenied(refusal)
    require_write_budget(user)


def check_move_thread(user, thread) -> None:
    refusal = gettext("Only staff can move a thread to another board. Say so in a reply.")
    _require_thread_steward(user, gettext("moving a thread"), refusal)


def check_merge_thread(user, thread) -> None:
    """``thread`` is the duplicate, merged into another."""
    refusal = gettext("Only staff can merge threads. Link to the other thread in a reply.")
    _require_thread_steward(user, gettext("merging threads"), refusal)


def check_reverse_thread_change(user, thread) -> None:
    """Moving a thread back, or splitting a merged thread back out."""
    refusal = gettext("Only staff can undo a move or a merge.")
    _require_thread_steward(user, gettext("undoing a move or a merge"), refusal)
