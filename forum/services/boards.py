"""Boards and the order of their threads (staff)."""

from django.db import transaction

from forum import pagecache
from forum.models import Board, Thread


@transaction.atomic
def thread_set_pinned(*, thread: Thread, pinned: bool) -> bool:
    """Pin or unpin a thread within its board (staff). Returns False when nothing changed."""
    updated = Thread.objects.filter(pk=thread.pk).exclude(is_pinned=pinned).update(is_pinned=pinned)
    thread.is_pinned = pinned
    if updated:
        pagecache.thread_changed_on_commit(thread.pk)
    return bool(updated)


@transaction.atomic
def board_create(
    *,
    slug: str,
    name: str,
    description: str = "",
    kind: str = Board.Kind.DISCUSSION,
    position: int = 0,
) -> Board:
    board = Board.objects.create(
        slug=slug, name=name, description=description, kind=kind, position=position
    )
    pagecache.site_changed_on_commit()
    return board
