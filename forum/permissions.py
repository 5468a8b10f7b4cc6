"""One check per forum write action (CONVENTIONS rule 3).

Each ``check_<action>(user, obj)`` returns None when allowed or raises
``PermissionDenied("<a human sentence>")``. Views, and later JSON endpoints and
WebSocket consumers, call these and nothing else decides. Blocks, lockdowns and slow
mode (moderation) plug in here so every path refuses the same way.
"""

from django.core.exceptions import PermissionDenied

from accounts.permissions import can, require_signed_in
from forum import ratelimit
from forum.models import Board, Post, Thread
from moderation.permissions import (
    lockdowns_for,
    require_lockdowns_allow_post,
    require_not_blocked,
)

__all__ = [
    "can",
    "check_edit_post",
    "check_manage_notices",
    "check_pin_thread",
    "check_reply",
    "check_start_thread",
    "check_view_revisions",
]


def _require_write_budget(user) -> None:
    left, reset_in = ratelimit.write_budget_left(user.pk)
    if left <= 0:
        raise PermissionDenied(
            f"You are posting faster than we allow. Please wait {reset_in} seconds and try "
            "again — your text is kept."
        )


def _require_board_open(board: Board) -> None:
    if board.is_archived:
        raise PermissionDenied(
            f"The {board.name} board is archived: it stays readable but takes no new posts. "
            "Start a thread on another board instead."
        )


def check_start_thread(user, board: Board) -> None:
    require_signed_in(user, action="starting a thread")
    require_not_blocked(user)
    _require_board_open(board)
    require_lockdowns_allow_post(user, board=board)
    _require_write_budget(user)


def check_reply(user, thread: Thread) -> None:
    require_signed_in(user, action="replying")
    require_not_blocked(user)
    _require_board_open(thread.board)
    require_lockdowns_allow_post(user, thread=thread)
    _require_write_budget(user)


def check_edit_post(user, post: Post) -> None:
    require_signed_in(user, action="editing a post")
    require_not_blocked(user)
    if post.author_id != user.pk:
        raise PermissionDenied("You can only edit your own posts.")
    if post.is_hidden:
        raise PermissionDenied(
            "Moderators hid this post, so it can't be edited. You can appeal the decision "
            "from the message they sent you."
        )
    _require_board_open(post.thread.board)
    _require_write_budget(user)


def posting_during_lock(user, thread: Thread) -> bool:
    """True when staff or a moderator posts into a locked thread or board (marked so)."""
    return any(lockdown.kind == "lock" for lockdown in lockdowns_for(thread=thread))


def check_view_revisions(user, post: Post) -> None:
    """The author and moderators may read every earlier version of a post."""
    require_signed_in(user, action="reading a post's history")
    if post.author_id != user.pk and not user.is_moderator:
        raise PermissionDenied("Only the author and moderators can see earlier versions.")


def check_pin_thread(user, thread: Thread) -> None:
    require_signed_in(user, action="pinning a thread")
    if not (user.is_employee or user.is_moderator):
        raise PermissionDenied("Only staff and moderators can pin threads.")


def check_manage_notices(user) -> None:
    """Sitewide notices speak for the whole site, so only administrators write them."""
    require_signed_in(user, action="managing sitewide notices")
    if not user.is_site_admin:
        raise PermissionDenied(
            "Only site administrators can create, change or end sitewide notices. If something "
            "needs announcing, ask an administrator or post in the Help board."
        )
