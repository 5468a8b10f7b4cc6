"""Reads for boards and their thread lists."""

from django.conf import settings
from django.core.paginator import Page
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from forum.models import Board, Watch
from forum.selectors.pagination import DeferredJoinPaginator
from forum.selectors.reading import with_unread_counts
from forum.selectors.visibility import public_threads


def board_list() -> QuerySet[Board]:
    return Board.objects.select_related("last_post__author", "last_post__thread").order_by(
        "position", "name"
    )


def board_get(*, slug: str, watcher=None) -> Board:
    """The board (404 when missing). With ``watcher`` a member, it carries
    ``watcher_level``, their watch level for it ("normal" when they never chose one),
    read in the same query."""
    boards = Board.objects.all()
    if watcher is not None and watcher.is_authenticated:
        level = Watch.objects.filter(board=OuterRef("pk"), user=watcher).values("level")[:1]
        boards = boards.annotate(
            watcher_level=Coalesce(Subquery(level), Value(Watch.Level.NORMAL.value))
        )
    return get_object_or_404(boards, slug=slug)


def staff_reply_q(board: Board) -> Q:
    """SQL for "a staff member has replied": ``first_staff_reply_at`` is kept on every
    thread by forum.services.answers when an employee first replies."""
    return Q(first_staff_reply_at__isnull=False)


def with_staff_replied(queryset, board: Board):
    """Annotate each thread with ``staff_replied`` (bool) for the board's rows."""
    return queryset.annotate(
        staff_replied=ExpressionWrapper(staff_reply_q(board), output_field=BooleanField())
    )


def board_thread_list(*, board: Board, filterset=None) -> tuple[QuerySet, list]:
    """The board's threads that its page lists, with their authors, last posters and
    ``staff_replied``, narrowed by ``filterset`` (a ``forum.filters.ThreadFilter``; one
    with an invalid value lists nothing), and the order to list them in: pinned first,
    then the sort, down to the key. Unordered and unread, for a page to cut."""
    threads = with_staff_replied(
        public_threads().filter(board=board).select_related("author", "last_poster"), board
    )
    ordering = ["-is_pinned", "-last_activity_at", "-pk"]
    if filterset is not None:
        ordering = filterset.ordering()
        if not filterset.usable:
            threads = threads.none()
        elif filterset.is_filtering():
            threads = filterset.filter_queryset(threads)
    return threads, ordering


def thread_page_for_board(*, board: Board, page_number, filterset=None, reader=None) -> Page:
    """One page of the board's threads with their authors and last posters: pinned first,
    then by last activity, or as ``filterset`` (a ``forum.filters.ThreadFilter``) narrows
    and sorts them. Unfiltered (a sort alone included) the page count comes from the
    board's counter, so no COUNT(*) runs; a filtered list counts its rows (one query). A
    filterset with an invalid value lists nothing: its errors say what to fix. Each thread
    carries ``staff_replied`` (computed in the same query). Deep pages cost what the
    first does (``DeferredJoinPaginator`` over the ``thread_board_list_idx`` index). With
    ``reader`` a member, each thread also carries their ``unread_count`` (same query)."""
    threads, ordering = board_thread_list(board=board, filterset=filterset)
    if reader is not None and reader.is_authenticated:
        threads = with_unread_counts(threads, reader)
    count = board.thread_count
    if filterset is not None:
        if not filterset.usable:
            count = 0
        elif filterset.is_filtering():
            count = None
    threads = threads.order_by(*ordering)
    paginator = DeferredJoinPaginator(threads, settings.FORUM_THREADS_PER_PAGE, count=count)
    return paginator.get_page(page_number)
