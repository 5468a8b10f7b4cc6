"""Reads for one thread."""

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from config.compiled import CompiledQuery
from forum.models import Board, Post, Thread
from forum.selectors.visibility import can_see_hidden_thread


def thread_get_for_user(*, user, thread_id: int) -> Thread:
    """The thread, or 404 for both missing and forbidden (CONVENTIONS rule 4): a hidden
    thread is forbidden to all but moderators and its author. Carries what
    ``thread_last_position`` needs for this user, read in the same query, and
    ``own_apart``: whether a signed-in reader has posts of their own here that others
    see differently (hidden or held), so the shared post list does not fit them."""
    threads = Thread.objects.select_related("board").annotate(
        last_shown_position=F("last_post__position")
    )
    if getattr(user, "is_authenticated", False):
        own_apart = Post.objects.filter(thread=OuterRef("pk"), author_id=user.pk).filter(
            Q(is_hidden=True) | Q(held_at__isnull=False)
        )
        threads = threads.annotate(own_apart=Exists(own_apart))
    if getattr(user, "is_authenticated", False) and not getattr(user, "is_moderator", False):
        own_hidden = Post.objects.filter(
            thread=OuterRef("pk"), author_id=user.pk, is_hidden=True
        ).order_by("-position")
        threads = threads.annotate(own_hidden_position=Subquery(own_hidden.values("position")[:1]))
    thread = get_object_or_404(threads, pk=thread_id)
    check_thread_visible(user, thread)
    return thread


def thread_shared_row(*, thread_id: int) -> Thread | None:
    """The thread with its board and what ``thread_get_for_user`` annotates for every
    reader alike, without checking who may see it: a copy to keep, checked per reader by
    ``check_thread_visible`` once that reader's own annotations are on it. None when
    there is no such thread."""
    return (
        Thread.objects.select_related("board")
        .annotate(last_shown_position=F("last_post__position"))
        .filter(pk=thread_id)
        .first()
    )


def _thread_with_board(thread_id: int):
    return Thread.objects.select_related("board").filter(pk=thread_id)


# Every reply reads it: built once per process (building costs more than running).
_THREAD_WITH_BOARD = CompiledQuery(_thread_with_board, converted=True, thread_id=-7_000_000_031)


def thread_with_board(row: tuple) -> Thread:
    """A thread and its board from a row of their columns in model order, as
    ``select_related("board")`` selects them."""
    thread_fields = [field.attname for field in Thread._meta.concrete_fields]
    board_fields = [field.attname for field in Board._meta.concrete_fields]
    split = len(thread_fields)
    thread = Thread.from_db(connection.alias, thread_fields, row[:split])
    thread.board = Board.from_db(
        connection.alias, board_fields, row[split : split + len(board_fields)]
    )
    return thread


def thread_get_for_writer(*, user, thread_id: int) -> Thread:
    """The thread and its board for a write to it (a reply), or 404 for both missing and
    forbidden as ``thread_get_for_user``, without the reader's annotations a page needs:
    one query built once per process."""
    # The ORM answers an id out of the key's range as "no such row"; a raw query would
    # hand it to the driver, which refuses it.
    low, high = connection.ops.integer_field_range(Thread._meta.pk.get_internal_type())
    if not low <= thread_id <= high:
        raise Http404("No such thread.")
    row = _THREAD_WITH_BOARD.fetchone(thread_id=thread_id)
    if row is None:
        raise Http404("No such thread.")
    thread = thread_with_board(row)
    check_thread_visible(user, thread)
    return thread


def check_thread_visible(user, thread: Thread) -> None:
    """404 for a thread this reader may not see, the same as for a missing one."""
    if thread.is_hidden and not can_see_hidden_thread(user, thread):
        raise Http404("No such thread.")
