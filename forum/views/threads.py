"""A thread: starting one, its page, replying to it."""

import contextlib
import copy
import secrets
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from config.views import CheckedFormView
from forum import pagecache, ratelimit, selectors, services
from forum.forms import PostForm, ThreadForm
from forum.permissions import check_reply, check_start_thread, posting_during_lock
from forum.views import (
    answers,
    assignment,
    moving,
    notifications,
    reading,
    saved_replies,
    staff_notes,
    statuses,
)
from forum.views.attachments import body_with_image
from forum.views.kept import kept
from forum.views.pages import post_url, thread_state_context
from forum.views.screening import HELD_MESSAGE, REVIEWED, after_screening, screen
from forum.views.visitor_cache import thread_pages, valid_until, visitor_cached
from moderation import selectors as moderation_selectors
from moderation.permissions import lockdowns_for, remember_lockdowns


def start_thread_from_form(request, form, *, board):
    """A valid thread form to a new thread by the request's member: the image attached,
    spam screening (before the service's transaction: it may wait on Akismet), the
    service, and a held opening post queued for review in the same transaction. Shared
    by the form view and the API."""
    data = form.cleaned_data
    body = body_with_image(request, form, data["body"])
    screening = screen(request, title=data["title"], body=body)
    with transaction.atomic():
        thread = services.thread_create(
            board=board,
            author=request.user,
            title=data["title"],
            body=body,
            submission_key=data["submission_key"],
            screening=screening,
        )
        after_screening(thread.last_post, screening)
    return thread


def reply_from_form(request, form, *, thread):
    """A valid reply form to a reply by the request's member, as ``start_thread_from_form``
    does for a thread; marked when staff post into a locked thread."""
    user = request.user
    body = body_with_image(request, form, form.cleaned_data["body"])
    screening = screen(request, title="", body=body)
    # Only a post for the review queue needs a transaction around the service's own.
    review = screening["action"] in REVIEWED
    with transaction.atomic() if review else contextlib.nullcontext():
        post = services.post_create(
            thread=thread,
            author=user,
            body=body,
            submission_key=form.cleaned_data["submission_key"],
            posted_during_lock=posting_during_lock(user, thread),
            screening=screening,
        )
        after_screening(post, screening)
    return post


class ThreadCreateView(CheckedFormView):
    template_name = "forum/thread_create.html"
    form_class = ThreadForm

    def load(self, request, *, board_slug: str) -> None:
        self.board = selectors.board_get(slug=board_slug)
        request.current_board = self.board

    def check(self, user) -> None:
        check_start_thread(user, self.board)

    def write_context(self):
        return ratelimit.spending()

    def get_context_data(self, **context) -> dict:
        return {"board": self.board, **context}

    def act(self, form):
        return start_thread_from_form(self.request, form, board=self.board)

    def done(self, thread):
        if thread.last_post.held_at is not None:
            messages.warning(self.request, HELD_MESSAGE)
        return redirect(thread)


@visitor_cached(thread_pages)
def thread_detail(request, thread_id: int):
    versions = pagecache.versions((pagecache.SITE, pagecache.thread_scope(thread_id)))
    if versions is not None:
        request.site_versions = versions[:1]
    try:
        thread = _thread_for_reader(request, thread_id, versions)
    except Http404:
        # A merged thread is hidden; its address leads to the thread it joined.
        merged = moving.merged_thread_redirect(thread_id)
        if merged is None:
            raise
        return merged
    if thread.merged_into_id is not None:
        return moving.merged_thread_redirect(thread_id)
    request.current_board = thread.board
    landing = reading.first_unread_redirect(request, thread)
    if landing is not None:
        return landing
    _remember_lockdowns(thread, versions)
    page = selectors.post_page_for_thread(
        thread=thread, page_number=request.GET.get("page"), viewer=request.user
    )
    posts = shared_post_list(request, thread, page, versions)
    context = {
        "thread": thread,
        "board": thread.board,
        "page": page,
        "posts": posts,
        **thread_state_context(request.user, thread),
        **answers.thread_context(request, thread, posts),
        # No posts: their events are already in the shared list.
        **statuses.thread_context(request, thread, (), page),
        **notifications.thread_context(request, thread),
        **reading.thread_context(request, thread, posts),
        **assignment.thread_context(request, thread),
        **moving.thread_context(request, thread),
        **saved_replies.thread_context(request, thread),
        **staff_notes.thread_context(request, thread, page, posts),
    }
    valid_until(request, _first_end(lockdowns_for(thread=thread)))
    return render(request, "forum/thread_detail.html", context)


@dataclass(frozen=True)
class _SharedReader:
    """Any reader of one kind who wrote none of the posts shown: a reader whose own
    hidden or held posts are in the thread gets a list of their own."""

    is_moderator: bool
    is_employee: bool = False
    pk: None = None
    is_authenticated: bool = True


_SHARED_READERS = {
    "visitor": AnonymousUser(),
    "member": _SharedReader(is_moderator=False),
    "staff": _SharedReader(is_moderator=False, is_employee=True),
    "moderator": _SharedReader(is_moderator=True, is_employee=True),
}


def _reader_kind(user) -> str:
    if not user.is_authenticated:
        return "visitor"
    if user.is_moderator:
        return "moderator"
    return "staff" if user.is_employee else "member"


def _thread_for_reader(request, thread_id: int, versions):
    """What ``thread_get_for_user`` gives. For a member, the thread and board are kept
    under the thread's and the site's versions (every change to what the page shows of
    them retires one), their own annotations come with their state query, and who may
    see it is checked on each request."""
    user = request.user
    if versions is None or not user.is_authenticated:
        return selectors.thread_get_for_user(user=user, thread_id=thread_id)
    stored = kept(
        pagecache.page_key("thread-row", str(thread_id), versions),
        lambda: selectors.thread_shared_row(thread_id=thread_id),
    )
    if stored is None:
        raise Http404("No such thread.")
    # This reader's annotations go on a copy; the board is shared and only read.
    thread = copy.copy(stored)
    state = reading.reader_state(request, thread)
    thread.own_apart = state.own_apart
    if not user.is_moderator:
        thread.own_hidden_position = state.own_hidden_position
    selectors.check_thread_visible(user, thread)
    return thread


def _remember_lockdowns(thread, versions) -> None:
    """The thread's and its board's lockdowns, kept under the thread's and the site's
    versions (every lockdown change retires one of them) with those yet to start, and
    sorted by time on each request; read from the database without the cache."""
    if versions is None:
        return

    def read():
        lockdowns = moderation_selectors.lockdowns_not_ended(thread=thread)
        for lockdown in lockdowns:
            # The stored copy keeps the moderator's shown name, no credentials.
            lockdown.created_by.password = ""
            lockdown.created_by.email = ""
        return lockdowns

    stored = kept(pagecache.page_key("lockdowns", str(thread.pk), versions), read)
    remember_lockdowns(thread, stored)


def shared_post_list(request, thread, page, versions) -> list:
    """The page's posts, each with ``shared_main`` (its article up to the body) and
    ``shared_events`` (the events after it) as every reader of this kind sees them. Kept
    in the page cache under the thread's and the site's versions, so a warm page reads
    neither posts nor events; the reader's own actions are added by the template. A
    reader with hidden or held posts of their own here sees those differently: their
    list is rendered for them alone and not kept."""
    user = request.user
    kind = _reader_kind(user)
    accepted_post_id = (
        thread.accepted_post_id
        if thread.help_state and not selectors.thread_is_held(thread)
        else None
    )
    own = bool(getattr(thread, "own_apart", False))
    key = None
    if not own and versions is not None:
        paginator = page.paginator
        address = "/".join(
            str(part)
            for part in (
                thread.pk,
                page.number,
                paginator.per_page,
                paginator.count,
                kind,
                accepted_post_id,
            )
        )
        key = pagecache.page_key("post-list", address, versions)
        stored = pagecache.page_get(key)
        if stored is not None:
            return stored
    posts = list(page.object_list)
    statuses.attach_events(thread, posts, page)
    separator = secrets.token_hex(8)
    parts = render_to_string(
        "forum/_post_list_shared.html",
        {
            "posts": posts,
            "user": user if own else _SHARED_READERS[kind],
            "accepted_post_id": accepted_post_id,
            "sep": separator,
        },
    ).split(separator)
    for index, post in enumerate(posts):
        post.shared_main = mark_safe(parts[2 * index])  # noqa: S308 - rendered above
        post.shared_events = mark_safe(parts[2 * index + 1])  # noqa: S308 - rendered above
        del post.events_after
    if key is not None:
        for post in posts:
            # The stored copy keeps what pages print and checks read, no credentials.
            post.author.password = ""
            post.author.email = ""
        pagecache.page_set(key, posts)
    return posts


def _first_end(lockdowns):
    return min((lockdown.ends_at for lockdown in lockdowns if lockdown.ends_at), default=None)


class ThreadReplyView(CheckedFormView):
    """The reply form posts here. On error the full-page form shows what went wrong, with the
    text kept."""

    template_name = "forum/thread_reply.html"
    form_class = PostForm

    def load(self, request, *, thread_id: int) -> None:
        self.thread = selectors.thread_get_for_writer(user=request.user, thread_id=thread_id)
        request.current_board = self.thread.board

    def check(self, user) -> None:
        check_reply(user, self.thread)

    def write_context(self):
        return ratelimit.spending()

    def get_context_data(self, **context) -> dict:
        return {
            "thread": self.thread,
            "board": self.thread.board,
            **saved_replies.thread_context(self.request, self.thread),
            **context,
        }

    def act(self, form):
        return reply_from_form(self.request, form, thread=self.thread)

    def done(self, post):
        if post.held_at is not None:
            messages.warning(self.request, HELD_MESSAGE)
        return HttpResponseRedirect(post_url(post))
