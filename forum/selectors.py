"""Reads for boards, threads and posts (CONVENTIONS rule 2). Each selector owns its joins."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from forum.models import Board, Post, Thread


class CountedPaginator(Paginator):
    """A paginator told its count by a denormalised counter, so no COUNT(*) runs."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def board_list() -> QuerySet[Board]:
    return Board.objects.select_related("last_post__author", "last_post__thread").order_by(
        "position", "name"
    )


def board_get(*, slug: str) -> Board:
    return get_object_or_404(Board, slug=slug)


def thread_page_for_board(*, board: Board, page_number) -> Page:
    """Pinned threads first, then by last activity; one page of them with their last poster."""
    threads = (
        Thread.objects.filter(board=board)
        .select_related("author", "last_poster")
        .order_by("-is_pinned", "-last_activity_at", "-pk")
    )
    paginator = CountedPaginator(threads, settings.FORUM_THREADS_PER_PAGE, count=board.thread_count)
    return paginator.get_page(page_number)


def thread_get_for_user(*, user, thread_id: int) -> Thread:
    """The thread, or 404 for both missing and forbidden (CONVENTIONS rule 4)."""
    return get_object_or_404(Thread.objects.select_related("board"), pk=thread_id)


def post_page_for_thread(*, thread: Thread, page_number) -> Page:
    posts = Post.objects.filter(thread=thread).select_related("author").order_by("position")
    paginator = CountedPaginator(posts, settings.FORUM_POSTS_PER_PAGE, count=thread.post_total)
    return paginator.get_page(page_number)


def post_page_number(*, post: Post) -> int:
    return (post.position - 1) // settings.FORUM_POSTS_PER_PAGE + 1


def post_get_for_user(*, user, post_id: int) -> Post:
    return get_object_or_404(Post.objects.select_related("thread__board", "author"), pk=post_id)


def post_revisions(*, post: Post) -> QuerySet:
    return post.revisions.select_related("editor").order_by("-number")


def post_list_recent_by_author(*, author, limit: int) -> list[Post]:
    return list(
        Post.objects.filter(author=author)
        .select_related("thread__board")
        .order_by("-created_at")[:limit]
    )


def visible_post_count(*, author) -> int:
    """How many of a member's posts readers can see (not hidden by moderators)."""
    return Post.objects.filter(author=author, is_hidden=False).count()
