"""Reads for unread tracking (CONVENTIONS rule 2): read markers and the post they point to."""

from collections.abc import Iterable

from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from forum.models import Post, ReadMarker, Thread
from forum.selectors.visibility import shown_in_full


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


def first_post_after(*, thread: Thread, position: int, viewer) -> tuple[int, int] | None:
    """(id, position) of the first post after ``position`` that ``viewer`` sees in full
    (``forum.selectors.shown_in_full``), or None. One query."""
    return (
        shown_in_full(Post.objects.filter(thread=thread, position__gt=position), viewer)
        .order_by("position")
        .values_list("pk", "position")
        .first()
    )


def shown_between(*, thread: Thread, after: int, before: int, viewer) -> bool:
    """Whether ``viewer`` sees in full any post strictly between the two positions. One
    query."""
    posts = Post.objects.filter(thread=thread, position__gt=after, position__lt=before)
    return shown_in_full(posts, viewer).exists()


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


def unread_counts(*, user, threads: Iterable[Thread]) -> dict[int, int]:
    """Thread id → how many posts after the member's read position they would see in
    full (hidden and held posts of others are not news), for those of ``threads`` they
    have opened. One query for a whole page of threads (none for visitors); each count
    walks the thread's (thread, position) index from the marker on."""
    return unread_counts_for_ids(user=user, thread_ids=[thread.pk for thread in threads])


def unread_counts_for_ids(*, user, thread_ids: list[int]) -> dict[int, int]:
    """:func:`unread_counts` for threads known by their ids alone (a stored page of a
    board's rows)."""
    if not thread_ids or not getattr(user, "is_authenticated", False):
        return {}
    after = Post.objects.filter(thread_id=OuterRef("thread_id"), position__gt=OuterRef("position"))
    unread = (
        shown_in_full(after, user)
        .order_by()
        .values("thread_id")
        .annotate(posts=Count("pk"))
        .values("posts")
    )
    return dict(
        ReadMarker.objects.filter(user=user, thread_id__in=thread_ids)
        .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))
        .values_list("thread_id", "unread")
    )


def with_unread_counts(threads: QuerySet[Thread], user) -> QuerySet[Thread]:
    """Each thread carries ``unread_count`` as :func:`unread_counts` would give it (None
    for a thread the member never opened), computed in the list's own query."""
    position = ReadMarker.objects.filter(user=user, thread=OuterRef("pk")).values("position")
    after = Post.objects.filter(thread_id=OuterRef("pk"), position__gt=OuterRef("read_position"))
    unread = (
        shown_in_full(after, user)
        .order_by()
        .values("thread_id")
        .annotate(posts=Count("pk"))
        .values("posts")
    )
    return threads.annotate(read_position=Subquery(position[:1])).annotate(
        unread_count=Case(
            When(
                read_position__isnull=False,
                then=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
            ),
            default=None,
            output_field=IntegerField(),
        )
    )
