"""Reads for the Help workflow: the accepted answer shown under a question, the staff's
unanswered queue and the time to a first staff reply (CONVENTIONS rule 2)."""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from forum.models import Board, Post, Thread

MEDIAN_WINDOWS_DAYS = (7, 30)


def accepted_answer_for_page(*, thread: Thread, posts: list[Post]) -> Post | None:
    """The thread's accepted answer with its author: taken from the page's posts when it
    is among them, else one query."""
    if thread.accepted_post_id is None:
        return None
    for post in posts:
        if post.pk == thread.accepted_post_id:
            return post
    return Post.objects.select_related("author").filter(pk=thread.accepted_post_id).first()


def unanswered_threads() -> QuerySet[Thread]:
    """Help threads waiting on staff: no staff reply yet, or the asker said "Not yet"
    since the last one — never solved ones. Oldest wait first: a "Not yet" waits since it
    was said, any other since the thread was started (``waiting_since``). A thread
    moderators hid (spam) waits for nobody."""
    return (
        Thread.objects.filter(board__kind=Board.Kind.HELP, is_hidden=False)
        .exclude(help_state=Thread.HelpState.SOLVED)
        .filter(Q(first_staff_reply_at__isnull=True) | Q(reopened_at__isnull=False))
        .annotate(waiting_since=Coalesce("reopened_at", "created_at"))
        .select_related("board", "author", "last_poster", "assignee")
        .order_by("waiting_since", "pk")
    )


def unanswered_page(*, page_number, filterset=None) -> Page:
    """One page of ``unanswered_threads``, narrowed by the queue's FilterSet
    (``forum.filters.UnansweredFilter``) when it is valid: a count and a page, two
    queries."""
    threads = unanswered_threads()
    if filterset is not None and filterset.is_bound and filterset.is_valid():
        threads = filterset.filter_queryset(threads)
    paginator = Paginator(threads, settings.FORUM_THREADS_PER_PAGE)
    return paginator.get_page(page_number)


@dataclass(frozen=True)
class BoardResponseTimes:
    board: Board
    # Window length in days -> (median wait for a first staff reply, threads it covers).
    medians: dict[int, tuple[timedelta | None, int]]


def median_first_staff_reply(
    *, now: datetime | None = None, windows: tuple[int, ...] = MEDIAN_WINDOWS_DAYS
) -> list[BoardResponseTimes]:
    """For each Help board, the median time from a thread's start to its first staff reply,
    over the threads started in each window (the last 7 and 30 days) that have had one.
    Threads still waiting are not counted — the unanswered list shows those. Two queries
    whatever the number of threads: the Help boards, then the replied threads of the
    longest window; the medians are computed here."""
    now = now or timezone.now()
    boards = list(Board.objects.filter(kind=Board.Kind.HELP).order_by("position", "name"))
    since = now - timedelta(days=max(windows))
    rows = Thread.objects.filter(
        board__in=boards,
        is_hidden=False,
        created_at__gte=since,
        created_at__lte=now,
        first_staff_reply_at__isnull=False,
    ).values_list("board_id", "created_at", "first_staff_reply_at")
    waits: dict[int, list[tuple[datetime, timedelta]]] = {board.pk: [] for board in boards}
    for board_id, created_at, replied_at in rows:
        waits[board_id].append((created_at, replied_at - created_at))
    result = []
    for board in boards:
        medians = {}
        for days in windows:
            start = now - timedelta(days=days)
            in_window = [wait for created_at, wait in waits[board.pk] if created_at >= start]
            medians[days] = (
                statistics.median(in_window) if in_window else None,
                len(in_window),
            )
        result.append(BoardResponseTimes(board=board, medians=medians))
    return result
