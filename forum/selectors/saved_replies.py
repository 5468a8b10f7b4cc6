"""Saved replies as one staff member sees them: the team's and their own, never a
colleague's personal ones."""

from django.db.models import Q
from django.http import Http404

from accounts.models import User
from forum.models import SavedReply, Thread
from forum.saved_reply_text import fill_placeholders


def _visible_to(user: User):
    return SavedReply.objects.filter(Q(owner__isnull=True) | Q(owner=user))


def saved_reply_list(*, user: User) -> list[SavedReply]:
    """The team's replies and the member's own, by title; one query."""
    return list(_visible_to(user).order_by("title", "pk"))


def saved_reply_choices(*, user: User) -> list[tuple[int, str, bool]]:
    """(id, title, is personal) for the reply box's picker, most used first: the reply
    Enter inserts at once is the one staff reach for most. One query, no bodies."""
    rows = _visible_to(user).order_by("-use_count", "title", "pk")
    return [
        (pk, title, owner_id is not None)
        for pk, title, owner_id in rows.values_list("pk", "title", "owner_id")
    ]


def saved_reply_get_for_user(*, user: User, saved_reply_id: int) -> SavedReply:
    """The same 404 for a reply that doesn't exist and a colleague's personal one."""
    saved_reply = _visible_to(user).filter(pk=saved_reply_id).first()
    if saved_reply is None:
        raise Http404("No such saved reply.")
    return saved_reply


def saved_reply_filled(*, saved_reply: SavedReply, thread: Thread, user: User) -> str:
    """The reply's text with its placeholders filled for this thread and this staff
    member, as Markdown source to edit before posting."""
    values = {
        "asker": thread.author.public_name,
        "asker_username": thread.author.username if not thread.author.is_deleted_member else "",
        "thread_title": thread.title,
        "board": thread.board.name,
        "me": user.public_name,
    }
    return fill_placeholders(saved_reply.body, values)
