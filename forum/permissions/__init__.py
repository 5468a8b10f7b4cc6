"""One check per forum write action (CONVENTIONS rule 3), a member's writes to their own
state (their profile, notices they dismiss, their notifications and reading place)
included.

Each ``check_<action>(user, obj)`` returns None when allowed or raises
``PermissionDenied(gettext("<a human sentence>"))``. Views, the live fragments and the WebSocket
consumer call these and nothing else decides. Blocks, lockdowns and slow mode
(moderation) plug in here so every path refuses the same way.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.permissions import can, require_signed_in
from forum import ratelimit
from forum.models import Board, Post, Thread
from forum.permissions.assignment import check_assign_thread, check_view_assignments
from forum.permissions.common import is_staff_team
from forum.permissions.common import require_write_budget as _require_write_budget
from forum.permissions.moving import (
    check_merge_thread,
    check_move_thread,
    check_reverse_thread_change,
)
from forum.permissions.saved_replies import check_manage_saved_reply, check_use_saved_replies
from forum.permissions.staff_notes import (
    check_edit_staff_note,
    check_view_staff_notes,
    check_write_staff_note,
)
from forum.selectors import thread_is_held
from moderation.permissions import (
    lockdowns_for,
    require_lockdowns_allow_post,
    require_not_blocked,
)

__all__ = [
    "can",
    "check_upload_attachment",
    "check_accept_answer",
    "check_assign_thread",
    "check_view_assignments",
    "check_view_staff_notes",
    "check_write_staff_note",
    "check_edit_staff_note",
    "is_staff_team",
    "check_change_notification_settings",
    "check_dismiss_notice",
    "check_edit_profile",
    "check_mark_thread_read",
    "check_read_notifications",
    "check_manage_keyword_watches",
    "check_mark_affected",
    "check_merge_thread",
    "check_move_thread",
    "check_reverse_thread_change",
    "check_mark_official",
    "check_respond_to_prompt",
    "check_send_contact_message",
    "check_set_thread_status",
    "check_view_staff_pages",
    "check_view_temperature",
    "check_vote",
    "check_watch",
    "check_edit_post",
    "check_manage_notices",
    "check_manage_saved_reply",
    "check_use_saved_replies",
    "check_pin_thread",
    "check_reply",
    "check_start_thread",
    "check_view_revisions",
]


def _require_board_open(board: Board) -> None:
    if board.is_archived:
        raise PermissionDenied(
            gettext(
                "The %(board)s board is archived: it stays readable but takes no new posts. "
                "Start a thread on another board instead."
            )
            % {"board": board.name}
        )


def check_start_thread(user, board: Board) -> None:
    require_signed_in(user, action=gettext("starting a thread"))
    require_not_blocked(user)
    _require_board_open(board)
    require_lockdowns_allow_post(user, board=board)
    _require_write_budget(user)


HELD_THREAD_REPLY = _(
    "Your thread is held for review — a moderator will look at it soon. Replies open once "
    "it is published; until then only you and moderators can see it."
)
HELD_THREAD_REPLY_MODERATOR = _(
    "This thread is held for review and nobody else can see it yet. Approve it from the "
    "review queue first; replies open once it is published."
)


def check_reply(user, thread: Thread) -> None:
    require_signed_in(user, action=gettext("replying"))
    if thread_is_held(thread):
        raise PermissionDenied(
            HELD_THREAD_REPLY if thread.author_id == user.pk else HELD_THREAD_REPLY_MODERATOR
        )
    require_not_blocked(user)
    _require_board_open(thread.board)
    require_lockdowns_allow_post(user, thread=thread)
    _require_write_budget(user)


def check_edit_post(user, post: Post) -> None:
    require_signed_in(user, action=gettext("editing a post"))
    require_not_blocked(user)
    if post.author_id != user.pk:
        raise PermissionDenied(gettext("You can only edit your own posts."))
    if post.is_hidden:
        raise PermissionDenied(
            gettext(
                "Moderators hid this post, so it can't be edited. You can appeal the decision "
                "from the message they sent you."
            )
        )
    _require_board_open(post.thread.board)
    _require_write_budget(user)


def check_upload_attachment(user) -> None:
    """An upload is a write: a blocked member can't upload, and each one spends the write
    budget like a post."""
    require_signed_in(user, action=gettext("attaching an image"))
    require_not_blocked(user)
    _require_write_budget(user)


def posting_during_lock(user, thread: Thread) -> bool:
    """True when staff or a moderator posts into a locked thread or board (marked so)."""
    return any(lockdown.kind == "lock" for lockdown in lockdowns_for(thread=thread))


def check_view_revisions(user, post: Post) -> None:
    """The author and moderators may read every earlier version of a post."""
    require_signed_in(user, action=gettext("reading a post's history"))
    if post.author_id != user.pk and not user.is_moderator:
        raise PermissionDenied(gettext("Only the author and moderators can see earlier versions."))


def check_pin_thread(user, thread: Thread) -> None:
    require_signed_in(user, action=gettext("pinning a thread"))
    if not (user.is_employee or user.is_moderator):
        raise PermissionDenied(gettext("Only staff and moderators can pin threads."))


def check_manage_notices(user) -> None:
    """Sitewide notices speak for the whole site, so only administrators write them."""
    require_signed_in(user, action=gettext("managing sitewide notices"))
    if not user.is_site_admin:
        raise PermissionDenied(
            gettext(
                "Only site administrators can create, change or end sitewide notices. If something "
                "needs announcing, ask an administrator or post in the Help board."
            )
        )


# --- Help, Bugs, Ideas, watching, staff pages, contact ---------------------------------


def _is_staff_member(user) -> bool:
    """Employees answer for the company; site admins run it."""
    return bool(user.is_employee or user.is_site_admin)


def check_accept_answer(user, thread: Thread, post: Post | None = None) -> None:
    """The asker or staff choose (or clear, with ``post=None``) the accepted answer of a
    Help thread: a visible reply in that thread, not the question itself."""
    require_signed_in(user, action=gettext("accepting an answer"))
    require_not_blocked(user)
    if thread.board.kind != Board.Kind.HELP:
        raise PermissionDenied(gettext("Only questions on the Help board have accepted answers."))
    if thread.author_id != user.pk and not _is_staff_member(user):
        raise PermissionDenied(
            gettext(
                "Only the person who asked, or staff, can choose the accepted answer. If this "
                "reply helped you, say so in a reply."
            )
        )
    if post is not None:
        if post.thread_id != thread.pk or post.is_opening_post:
            raise PermissionDenied(
                gettext("Choose one of the replies in this thread as the answer.")
            )
        if post.is_hidden:
            raise PermissionDenied(
                gettext("A reply hidden by moderators can't be the accepted answer.")
            )


def check_respond_to_prompt(user, thread: Thread) -> None:
    """Only the asker answers "Did this fix everything?"."""
    require_signed_in(user, action=gettext("answering for this question"))
    require_not_blocked(user)
    if thread.board.kind != Board.Kind.HELP:
        raise PermissionDenied(gettext("Only questions on the Help board can be marked solved."))
    if thread.author_id != user.pk:
        raise PermissionDenied(gettext("Only the person who asked can say whether it is solved."))


def check_mark_official(user, post: Post) -> None:
    """Staff mark a staff reply as the company's official answer."""
    require_signed_in(user, action=gettext("marking an official answer"))
    if not _is_staff_member(user):
        raise PermissionDenied(gettext("Only staff can mark an official answer."))
    if post.is_opening_post or not post.author.is_employee:
        raise PermissionDenied(gettext("Only a reply written by staff can be the official answer."))
    if post.is_hidden:
        raise PermissionDenied(
            gettext("A reply hidden by moderators can't be the official answer.")
        )


def check_set_thread_status(user, thread: Thread) -> None:
    require_signed_in(user, action=gettext("changing a status"))
    if thread.board.kind not in (Board.Kind.BUGS, Board.Kind.IDEAS):
        raise PermissionDenied(gettext("Only bug reports and ideas have a status."))
    if not _is_staff_member(user):
        raise PermissionDenied(
            gettext(
                "Only staff set the status of bugs and ideas. If you have new information, "
                "add it in a reply."
            )
        )


def check_vote(user, thread: Thread) -> None:
    require_signed_in(user, action=gettext("voting"))
    require_not_blocked(user)
    if thread.board.kind != Board.Kind.IDEAS:
        raise PermissionDenied(gettext("Only ideas take votes."))
    if thread.author_id == user.pk:
        raise PermissionDenied(
            gettext("You can't vote for your own idea — it counts as yours already.")
        )
    _require_board_open(thread.board)
    _require_write_budget(user)


def check_mark_affected(user, thread: Thread) -> None:
    require_signed_in(user, action=gettext("saying you're affected"))
    require_not_blocked(user)
    if thread.board.kind != Board.Kind.BUGS:
        raise PermissionDenied(gettext('Only bug reports take "I\'m affected too".'))
    if thread.author_id == user.pk:
        raise PermissionDenied(gettext("You reported this bug, so you're counted already."))
    _require_board_open(thread.board)
    _require_write_budget(user)


def check_watch(user) -> None:
    """Watching is reading, so a block does not stop it."""
    require_signed_in(user, action=gettext("watching"))


def check_view_staff_pages(user) -> None:
    """The unanswered queue, the contact inbox and keyword watches are for staff."""
    require_signed_in(user, action=gettext("this staff page"))
    if not _is_staff_member(user):
        raise PermissionDenied(gettext("This page is for staff only."))


check_manage_keyword_watches = check_view_staff_pages
# The temperature page: the same people, the same words.
check_view_temperature = check_view_staff_pages


def check_send_contact_message(user, *, client_key: str) -> None:
    """Anyone may write to staff — visitors too — within a budget per client (IP or
    member). Blocked members may still write: a block stops public posting, not asking
    staff for help."""
    allowed, reset_in = ratelimit.contact_budget_allows(client_key)
    if not allowed:
        minutes = max(1, round(reset_in / 60))
        raise PermissionDenied(
            ngettext(
                "You've sent several messages in a short time. Please wait about %(minutes)s "
                "minute and send it again — your message is kept.",
                "You've sent several messages in a short time. Please wait about %(minutes)s "
                "minutes and send it again — your message is kept.",
                minutes,
            )
            % {"minutes": minutes}
        )


# --- A member's own state ----------------------------------------------------------------


def check_edit_profile(user, profile_user) -> None:
    """A member edits their own public profile; a block stops it, since the profile is
    public."""
    require_signed_in(user, action=gettext("editing a profile"))
    if user.pk != profile_user.pk:
        raise PermissionDenied(gettext("You can only edit your own profile."))
    require_not_blocked(user)


# A block does not stop the rest: they change only what the member sees.


def check_dismiss_notice(user) -> None:
    require_signed_in(user, action=gettext("dismissing a notice"))


def check_read_notifications(user) -> None:
    """Reading notifications and marking them read (one, or all)."""
    require_signed_in(user, action=gettext("reading notifications"))


def check_change_notification_settings(user) -> None:
    require_signed_in(user, action=gettext("changing notification emails"))


def check_mark_thread_read(user, thread: Thread) -> None:
    """Raising the member's read marker in a thread they can see."""
    require_signed_in(user, action=gettext("keeping your place"))
