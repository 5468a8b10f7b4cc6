"""Reads for unread tracking (CONVENTIONS rule 2): read markers and the post they point to."""

from collections.abc import Iterable

from forum.models import Post, ReadMarker, Thread


def read_position(*, user, thread: Thread) -> int | None:
    """The highest post position the member has seen in ``thread``; None if they never
    opened it (or a visitor). One query for members, none for visitors."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        ReadMarker.objects.filter(user=user, thread=thread)
        .values_list("position", flat=True)
        .first()
    )


def post_id_at(*, thread: Thread, position: int) -> int | None:
    """The id of the post at ``position`` in ``thread``. One query."""
    return (
        Post.objects.filter(thread=thread, position=position).values_list("pk", flat=True).first()
    )


def read_positions(*, user, threads: Iterable[Thread]) -> dict[int, int]:
    """Thread id → the member's read position, for those of ``threads`` they have opened.
    One query for a whole page of threads (none for visitors)."""
    thread_ids = [thread.pk for thread in threads]
    if not thread_ids or not getattr(user, "is_authenticated", False):
        return {}
    return dict(
        ReadMarker.objects.filter(user=user, thread_id__in=thread_ids).values_list(
            "thread_id", "position"
        )
    )
