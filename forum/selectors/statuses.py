"""Reads for the Bug and Idea parts of a thread page: the event lines between posts and
the reader's own votes."""

from django.db.models import QuerySet

from forum.models import Thread, ThreadEvent, ThreadVote


def thread_events_between(
    *, thread: Thread, first: int, upper: int | None
) -> QuerySet[ThreadEvent]:
    """The thread's events placed after positions ``first`` to ``upper`` (every later
    one when ``upper`` is None), oldest first, with what their lines show."""
    events = ThreadEvent.objects.filter(thread=thread, after_position__gte=first)
    if upper is not None:
        events = events.filter(after_position__lte=upper)
    return events.select_related("actor", "duplicate_of", "post__author").order_by(
        "created_at", "pk"
    )


def thread_vote_kinds_for_user(*, thread: Thread, user) -> set[str]:
    """Which votes (vote, affected) the member gave the thread: one query."""
    return set(ThreadVote.objects.filter(thread=thread, user=user).values_list("kind", flat=True))
