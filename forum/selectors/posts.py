"""Reads for posts: a thread's pages, a post, its revisions, a member's recent posts."""

from django.conf import settings
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from forum.models import Post, Thread
from forum.selectors.pagination import PositionPaginator
from forum.selectors.visibility import (
    can_see_hidden_thread,
    public_posts,
    thread_last_position,
    without_others_held,
)


def post_page_for_thread(*, thread: Thread, page_number, viewer=None) -> Page:
    """One page of the thread's posts as ``viewer`` may see them (pages by position,
    as many as reach the last post the viewer sees in full)."""
    posts = without_others_held(Post.objects.filter(thread=thread), viewer)
    posts = posts.select_related("author").order_by("position")
    paginator = PositionPaginator(
        posts, settings.FORUM_POSTS_PER_PAGE, count=thread_last_position(thread, viewer)
    )
    return paginator.get_page(page_number)


def post_list_for_thread(*, thread: Thread, viewer=None) -> QuerySet[Post]:
    """The thread's posts that ``viewer`` may see, with their authors, for a caller to
    order and cut: a held post only for its author and moderators; a post moderators
    hid is listed, for the reader to show as a placeholder unless ``viewer`` may read
    it."""
    return without_others_held(Post.objects.filter(thread=thread), viewer).select_related("author")


def post_page_number(*, post: Post) -> int:
    return (post.position - 1) // settings.FORUM_POSTS_PER_PAGE + 1


def post_list_after(*, thread: Thread, position: int, limit: int, viewer=None) -> list[Post]:
    """The thread's posts after ``position`` that ``viewer`` may see, oldest first, at most
    ``limit``, with authors (what an open page missed while its live connection was down).
    One query."""
    return list(
        without_others_held(Post.objects.filter(thread=thread, position__gt=position), viewer)
        .select_related("author")
        .order_by("position")[:limit]
    )


def post_get_for_user(*, user, post_id: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("thread__board", "author"), pk=post_id)
    if post.thread.is_hidden and not can_see_hidden_thread(user, post.thread):
        raise Http404("No such post.")
    if post.held_at is not None and not (
        getattr(user, "is_moderator", False) or post.author_id == getattr(user, "pk", None)
    ):
        raise Http404("No such post.")
    return post


def post_revisions(*, post: Post) -> QuerySet:
    return post.revisions.select_related("editor").order_by("-number")


def post_list_recent_by_author(*, author, limit: int) -> list[Post]:
    """A member's latest public posts (their profile shows these to everyone)."""
    return list(
        public_posts()
        .filter(author=author)
        .select_related("thread__board")
        .order_by("-created_at")[:limit]
    )


def visible_post_count(*, author) -> int:
    """How many of a member's posts readers can see (not hidden by moderators)."""
    return Post.objects.filter(author=author, is_hidden=False).count()
