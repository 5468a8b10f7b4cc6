"""Reads for boards, threads and posts (CONVENTIONS rule 2). Each selector owns its joins."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
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


class PositionPaginator(CountedPaginator):
    """A thread's posts by position: page N holds positions (N-1)·per_page+1 to
    N·per_page, whatever this reader may see of them, so a post is on the same page for
    everyone (permalinks and "first unread" compute it from the position alone) and a
    post held out of one reader's view leaves a gap instead of shifting the rest. The
    count is the last position the reader can see, so pages beyond it (nothing but
    hidden or held posts) are not offered."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        posts = self.object_list.filter(position__gt=bottom, position__lte=bottom + self.per_page)
        return self._get_page(posts, number, self)


# --- What readers may see ---------------------------------------------------------------
# One definition used by every public list, count, search, feed and notification: a thread
# is public unless moderators hid its opening post (``Thread.is_hidden``, kept by
# forum.services.visibility); a post is public when neither it nor its thread is hidden.


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


def board_list() -> QuerySet[Board]:
    return Board.objects.select_related("last_post__author", "last_post__thread").order_by(
        "position", "name"
    )


def board_get(*, slug: str) -> Board:
    return get_object_or_404(Board, slug=slug)


def thread_page_for_board(*, board: Board, page_number, filterset=None) -> Page:
    """One page of the board's threads with their authors and last posters: pinned first,
    then by last activity, or as ``filterset`` (a ``forum.filters.ThreadFilter``) narrows
    and sorts them. Unfiltered (a sort alone included) the page count comes from the
    board's counter, so no COUNT(*) runs; a filtered list counts its rows (one query). A
    filterset with an invalid value lists nothing: its errors say what to fix. Each thread
    carries ``staff_replied`` (computed in the same query)."""
    from forum.filters import with_staff_replied

    threads = with_staff_replied(
        public_threads().filter(board=board).select_related("author", "last_poster"), board
    )
    ordering = ["-is_pinned", "-last_activity_at", "-pk"]
    count = board.thread_count
    if filterset is not None:
        ordering = filterset.ordering()
        if not filterset.usable:
            threads, count = threads.none(), 0
        elif filterset.is_filtering():
            threads, count = filterset.filter_queryset(threads), None
    threads = threads.order_by(*ordering)
    if count is None:
        paginator = Paginator(threads, settings.FORUM_THREADS_PER_PAGE)
    else:
        paginator = CountedPaginator(threads, settings.FORUM_THREADS_PER_PAGE, count=count)
    return paginator.get_page(page_number)


def thread_get_for_user(*, user, thread_id: int) -> Thread:
    """The thread, or 404 for both missing and forbidden (CONVENTIONS rule 4): a hidden
    thread is forbidden to all but moderators and its author. Carries what
    ``thread_last_position`` needs for this user, read in the same query."""
    threads = Thread.objects.select_related("board").annotate(
        last_shown_position=F("last_post__position")
    )
    if getattr(user, "is_authenticated", False) and not getattr(user, "is_moderator", False):
        own_hidden = Post.objects.filter(
            thread=OuterRef("pk"), author_id=user.pk, is_hidden=True
        ).order_by("-position")
        threads = threads.annotate(own_hidden_position=Subquery(own_hidden.values("position")[:1]))
    thread = get_object_or_404(threads, pk=thread_id)
    if thread.is_hidden and not can_see_hidden_thread(user, thread):
        raise Http404("No such thread.")
    return thread


def post_page_for_thread(*, thread: Thread, page_number, viewer=None) -> Page:
    """One page of the thread's posts as ``viewer`` may see them (pages by position,
    as many as reach the last post the viewer sees in full)."""
    posts = without_others_held(Post.objects.filter(thread=thread), viewer)
    posts = posts.select_related("author").order_by("position")
    paginator = PositionPaginator(
        posts, settings.FORUM_POSTS_PER_PAGE, count=thread_last_position(thread, viewer)
    )
    return paginator.get_page(page_number)


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


# --- Notices ---------------------------------------------------------------------------


def _audience_allows(notice, *, user, board) -> bool:
    from forum.models import Notice

    audience = notice.audience
    if audience == Notice.Audience.EVERYONE:
        return True
    if audience == Notice.Audience.MEMBERS:
        return bool(getattr(user, "is_authenticated", False))
    if audience == Notice.Audience.STAFF:
        return bool(getattr(user, "is_employee", False) or getattr(user, "is_moderator", False))
    return board is not None and notice.board_id == board.pk


def notices_for_page(*, user, board=None, now=None) -> tuple[list, object]:
    """Notices in force for this reader on this page — most severe first, then newest —
    and the next instant the list changes by time alone (a scheduled start or an end), so
    an open page can refresh itself then. One query."""
    from django.db.models import Q
    from django.utils import timezone

    from forum.models import Notice, NoticeDismissal

    now = now or timezone.now()
    rows = Notice.objects.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)).select_related(
        "thread"
    )
    if getattr(user, "is_authenticated", False):
        # Only info notices can be dismissed: a dismissed notice that is later raised to
        # a warning or an outage shows again.
        dismissed = NoticeDismissal.objects.filter(user=user).values("notice_id")
        rows = rows.exclude(level=Notice.Level.INFO, pk__in=dismissed)
    rows = rows.order_by("-severity", "-starts_at", "-pk")
    shown, next_change = [], None
    for notice in rows:
        if not _audience_allows(notice, user=user, board=board):
            continue
        if notice.starts_at > now:
            next_change = min(filter(None, [next_change, notice.starts_at]))
            continue
        shown.append(notice)
        if notice.ends_at is not None:
            next_change = min(filter(None, [next_change, notice.ends_at]))
    return shown, next_change


def notices_for_status(*, now=None, past_limit: int = 50) -> tuple[list, list]:
    """Current notices (any audience but staff-only), then past ones, newest first."""
    from django.db.models import Q
    from django.utils import timezone

    from forum.models import Notice

    now = now or timezone.now()
    public = Notice.objects.exclude(audience=Notice.Audience.STAFF).select_related(
        "thread", "board"
    )
    current = list(
        public.filter(starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("-severity", "-starts_at")
    )
    past = list(public.filter(ends_at__lte=now).order_by("-starts_at")[:past_limit])
    return current, past


def notice_get(*, notice_id: int):
    from forum.models import Notice

    return get_object_or_404(Notice.objects.select_related("thread", "board"), pk=notice_id)


def notices_for_management(*, now=None, past_limit: int = 100) -> dict[str, list]:
    """Notices for the admins' list in three groups: in force now (most severe first, then
    newest), scheduled (soonest first) and past (most recently ended first, the latest
    ``past_limit``). Two queries."""
    from django.db.models import Q
    from django.utils import timezone

    from forum.models import Notice

    now = now or timezone.now()
    rows = Notice.objects.select_related("thread", "board", "created_by")
    current, scheduled = [], []
    for notice in rows.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)).order_by(
        "-severity", "-starts_at", "-pk"
    ):
        (scheduled if notice.starts_at > now else current).append(notice)
    scheduled.sort(key=lambda notice: (notice.starts_at, notice.pk))
    past = list(rows.filter(ends_at__lte=now).order_by("-ends_at", "-pk")[:past_limit])
    return {"current": current, "scheduled": scheduled, "past": past}


def notice_thread_find(*, thread_id: int) -> Thread | None:
    """The thread a notice links to, or None when there is no such thread."""
    return Thread.objects.select_related("board").filter(pk=thread_id).first()
