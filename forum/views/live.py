"""Fragments the page script (static/js/live.js) fetches to keep an open thread current:
the posts it missed while its live connection was down, and the thread's banners and
reply box after a lock, an unlock or a slow mode change.

Both render for *this* reader with the same templates as the thread page, so what arrives
live is what a reload would show: a hidden post's content reaches only its author and
moderators. Reads only: nothing is written and a visitor gets no cookie.
"""

from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from forum import selectors
from forum.views import answers, saved_replies, statuses
from forum.views.pages import thread_state_context
from moderation.permissions import active_block_for

CATCH_UP_LIMIT = 50


@never_cache
@require_GET
def thread_posts_after(request, thread_id: int):
    """``?after=<position>``: the posts after that position, oldest first, at most
    ``CATCH_UP_LIMIT``, each an ``<article class="post">`` as on the thread page.

    Headers tell the script where it stands: ``X-Last-Position`` (the last position sent,
    or ``after`` when nothing is newer), ``X-More-Posts`` ("1" when more follow — ask again
    from ``X-Last-Position``) and ``X-Reply-Count`` (the thread's replies now)."""
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    raw = request.GET.get("after", "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        return HttpResponseBadRequest(
            "Say which posts you already have: ?after= takes the position of the last post "
            "on your page, a whole number from 0 (for example ?after=12).",
            content_type="text/plain; charset=utf-8",
        )
    after = int(raw)
    posts = selectors.post_list_after(
        thread=thread, position=after, limit=CATCH_UP_LIMIT + 1, viewer=request.user
    )
    more = len(posts) > CATCH_UP_LIMIT
    posts = posts[:CATCH_UP_LIMIT]
    html = render_to_string(
        "forum/_live_posts.html",
        {"posts": posts, "viewer_blocked": active_block_for(request.user) is not None},
        request=request,
    )
    response = HttpResponse(html)
    response["X-Last-Position"] = str(posts[-1].position if posts else after)
    response["X-More-Posts"] = "1" if more else "0"
    response["X-Reply-Count"] = str(thread.shown_reply_count)
    return response


@never_cache
@require_GET
def thread_banners(request, thread_id: int):
    """The thread's lockdown banners (``#thread-banners``), its reply box (``#reply``,
    whose ``data-reply-state`` says which kind of box it is), its Help state
    (``#help-state``) and its Bug/Idea status (``#thread-status``) as this reader sees
    them now."""
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    context = {
        "thread": thread,
        "board": thread.board,
        **thread_state_context(request.user, thread),
        **answers.thread_context(request, thread, []),
        **statuses.thread_context(request, thread, []),
        **saved_replies.thread_context(request, thread),
    }
    html = render_to_string("forum/_thread_live_state.html", context, request=request)
    response = HttpResponse(html)
    response["X-Reply-Count"] = str(thread.shown_reply_count)
    return response
