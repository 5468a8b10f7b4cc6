"""What readers may see. One definition used by every public list, count, search, feed
and notification: a thread is public unless moderators hid its opening post
(``Thread.is_hidden``, kept by forum.services.visibility); a post is public when neither
it nor its thread is hidden; a held post is absent for all but its author and
moderators."""

from django.db.models import Q, QuerySet

from forum.models import Post, Thread


def public_threads(threads: QuerySet[Thread] | None = None) -> QuerySet[Thread]:
    return (Thread.objects.all() if threads is None else threads).filter(is_hidden=False)


def public_posts(posts: QuerySet[Post] | None = None) -> QuerySet[Post]:
    return (Post.objects.all() if posts is None else posts).filter(
        is_hidden=False, thread__is_hidden=False
    )


def can_see_hidden_thread(user, thread: Thread) -> bool:
    """Moderators, and the author of the hidden opening post, still open a hidden thread."""
    return bool(getattr(user, "is_moderator", False)) or (
        getattr(user, "is_authenticated", False) and thread.author_id == user.pk
    )


def shown_in_full(posts: QuerySet[Post], viewer) -> QuerySet[Post]:
    """The posts ``viewer`` sees in full: for moderators all, for a member the visible
    ones and their own, for a visitor the visible ones. Hidden posts of others are
    placeholders at most and held ones absent: neither is something new to read."""
    if getattr(viewer, "is_moderator", False):
        return posts
    if getattr(viewer, "is_authenticated", False):
        return posts.filter(Q(is_hidden=False) | Q(author_id=viewer.pk))
    return posts.filter(is_hidden=False)


def thread_last_position(thread: Thread, viewer) -> int:
    """The position of the last post ``viewer`` sees in full in ``thread``: every post
    for moderators; otherwise the thread's latest visible post (``last_post``, kept by
    forum.services.visibility) or the viewer's own latest hidden or held one, whichever
    is later. Read from what ``thread_get_for_user`` annotated (no query), else one."""
    if getattr(viewer, "is_moderator", False):
        return thread.post_total
    if "last_shown_position" not in thread.__dict__:
        return (
            shown_in_full(Post.objects.filter(thread=thread), viewer)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
            or 0
        )
    own = thread.__dict__.get("own_hidden_position") or 0
    return max(thread.last_shown_position or 0, own)


def thread_is_held(thread: Thread) -> bool:
    """Whether the thread's opening post is held for review: the thread was never
    published, so it is not live for anyone (no Help status, no replies). No query for a
    public thread (only a hidden one can be held); the answer is kept on the instance."""
    if not thread.is_hidden:
        return False
    if "_opening_held" not in thread.__dict__:
        thread.__dict__["_opening_held"] = Post.objects.filter(
            thread=thread, position=1, held_at__isnull=False
        ).exists()
    return thread.__dict__["_opening_held"]


def without_others_held(posts: QuerySet[Post], viewer) -> QuerySet[Post]:
    """A post held for review is absent for everyone but its author and moderators (not
    even a placeholder: nothing was published). No extra query."""
    if getattr(viewer, "is_moderator", False):
        return posts
    if getattr(viewer, "is_authenticated", False):
        return posts.filter(Q(held_at__isnull=True) | Q(author_id=viewer.pk))
    return posts.filter(held_at__isnull=True)
