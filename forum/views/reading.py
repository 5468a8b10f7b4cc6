"""Unread tracking on the thread page: land on the first unread post, mark what was shown
as read, and tell the template where "New since your last visit" goes."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from forum import selectors
from forum.permissions import check_mark_thread_read
from forum.selectors import reading as selectors_reading
from forum.selectors.thread_reader import ThreadReaderState, thread_reader_state
from forum.services import notifications, reading

# The member's own state as it was when this request began, per thread: read once, used by
# the landing redirect, the page context, the watch control and the bell.
_CACHE_ATTR = "_porchlight_thread_readers"


def reader_state(request, thread) -> ThreadReaderState | None:
    """The member's read marker, watch levels and unread counts for this thread page (one
    query, ``thread_reader_state``); None for visitors."""
    if not request.user.is_authenticated:
        return None
    cache = request.__dict__.setdefault(_CACHE_ATTR, {})
    if thread.pk not in cache:
        cache[thread.pk] = thread_reader_state(user=request.user, thread=thread)
    return cache[thread.pk]


def _read_position(request, thread) -> int | None:
    state = reader_state(request, thread)
    return state.read_position if state is not None else None


def first_unread_redirect(request, thread):
    """A signed-in member opening a thread without ``?page=`` lands on their first unread
    post — the first after their marker they can see in full, so hidden and held replies
    never make a landing: return a redirect there (``?page=N#post-<id>``, the page number
    always given so the landing never redirects again), or None to show the page asked
    for — for visitors, for a thread the member never opened (it starts at the top) and
    when nothing new is there to read. Two queries when redirecting (the marker, the
    post), one otherwise."""
    if not request.user.is_authenticated or "page" in request.GET:
        return None
    read = _read_position(request, thread)
    if read is None or read >= selectors.thread_last_position(thread, request.user):
        return None
    first_unread = selectors_reading.first_post_after(
        thread=thread, position=read, viewer=request.user
    )
    if first_unread is None:
        return None
    post_id, position = first_unread
    page = (position - 1) // settings.FORUM_POSTS_PER_PAGE + 1
    return HttpResponseRedirect(f"{thread.get_absolute_url()}?page={page}#post-{post_id}")


def _shown_in_full(post, user) -> bool:
    return user.is_moderator or not post.is_hidden or post.author_id == user.pk


def _bell_after_marking(request, state, shown: int):
    """The bell's count once the notifications about posts up to ``shown`` are read: when
    that was every unread one about this thread's posts and event lines, those the bell
    counted are simply gone from it; otherwise it is counted again."""
    if state.unread_here_last is not None and state.unread_here_last <= shown:
        return state.unread_notifications - state.unread_here_counted
    return SimpleLazyObject(lambda: selectors.unread_notification_count(user=request.user))


def thread_context(request, thread, posts) -> dict:
    """Marks the shown posts read (up to the highest position on the page) and returns
    ``first_unread_position``: the first post the member had not seen before this visit
    and sees in full (None for visitors, a thread never opened, or nothing new here),
    where ``forum/thread_detail.html`` draws "New since your last visit", and
    ``unread_notifications`` for the bell, counted after the marking. When the marker is
    before this page, one query checks that nothing new was on the pages in between."""
    if not request.user.is_authenticated:
        return {"first_unread_position": None}
    state = reader_state(request, thread)
    read = state.read_position
    bell = state.unread_notifications
    if posts:
        shown = max(post.position for post in posts)
        reading.mark_read(user=request.user, thread=thread, position=shown, known_position=read)
        # New posts seen: the notifications about them are read too (when there are any).
        new_seen = read is None or read < shown
        if (
            new_seen
            and state.unread_here
            and notifications.notifications_mark_read_in_thread(
                user=request.user, thread=thread, up_to_position=shown
            )
        ):
            bell = _bell_after_marking(request, state, shown)
    if read is None:
        return {"first_unread_position": None, "unread_notifications": bell}
    first_unread = next(
        (
            post.position
            for post in posts
            if post.position > read and _shown_in_full(post, request.user)
        ),
        None,
    )
    if (
        first_unread is not None
        and posts[0].position > read + 1
        and selectors_reading.shown_between(
            thread=thread, after=read, before=posts[0].position, viewer=request.user
        )
    ):
        first_unread = None  # the first new post is on an earlier page
    return {"first_unread_position": first_unread, "unread_notifications": bell}


def annotate_unread(request, threads) -> None:
    """For a board's page of threads: sets ``thread.unread_count`` on each — how many posts
    the member has not seen and would see in full in a thread they opened before, None
    for a thread never opened and for visitors. One query for the page (none for
    visitors). Pass the very list or page ``object_list`` the template iterates, so the
    attributes are there."""
    threads = list(threads)
    counts = selectors_reading.unread_counts(user=request.user, threads=threads)
    for thread in threads:
        thread.unread_count = counts.get(thread.pk)


@require_POST
def thread_mark_read(request, thread_id: int):
    """``position=<n>``: the open page showed posts up to ``n`` as they arrived live, so
    the member has read them — their marker rises (never past the thread's last post)
    and the notifications about those posts are read. Sent by static/js/live.js; only the
    member's own reading state changes. 204 on success."""
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    check_mark_thread_read(request.user, thread)
    raw = request.POST.get("position", "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
        return HttpResponseBadRequest(
            "Say how far you have read: position= takes a post's position, a whole number from 1.",
            content_type="text/plain; charset=utf-8",
        )
    position = min(int(raw), thread.post_total)
    read = selectors_reading.read_position(user=request.user, thread=thread)
    if read is None or read < position:
        reading.mark_read(user=request.user, thread=thread, position=position, known_position=read)
        notifications.notifications_mark_read_in_thread(
            user=request.user, thread=thread, up_to_position=position
        )
    return HttpResponse(status=204)
