"""Reading threads: one thread, and its posts.

A thread merged into another answers as its page does: with a redirect (302) to the
thread it joined, here that thread's API address (``/api/v1/threads/<id>``, and
``…/posts`` for the posts), so a client that follows redirects reads the merged
discussion. A thread the caller may not see, like a missing one, is a 404."""

from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from ninja import Query

from forum import selectors
from forum.api.pagination import PageParams, page_of, paginate
from forum.api.routers import threads as router
from forum.schemas import PostOut, ThreadDetailOut
from forum.selectors import moving as moving_selectors


def _merged_redirect(thread_id: int, name: str) -> HttpResponseRedirect | None:
    target_id = moving_selectors.merged_into_id(thread_id=thread_id)
    if target_id is None:
        return None
    return HttpResponseRedirect(reverse(f"api:{name}", kwargs={"thread_id": target_id}))


def _thread_or_redirect(request, thread_id: int, name: str):
    try:
        thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    except Http404:
        redirect = _merged_redirect(thread_id, name)
        if redirect is None:
            raise
        return None, redirect
    if thread.merged_into_id is not None:
        return None, _merged_redirect(thread_id, name)
    return thread, None


@router.get(
    "/{int:thread_id}",
    response={200: ThreadDetailOut, 302: None},
    url_name="thread",
    summary="One thread",
    description=(
        "With its Help state, Bug or Idea status, votes, affected count and accepted "
        "answer. A merged thread redirects (302) to the thread it joined."
    ),
)
def get_thread(request, thread_id: int):
    thread, redirect = _thread_or_redirect(request, thread_id, "thread")
    if redirect is not None:
        return redirect
    accepted_id = None if selectors.thread_is_held(thread) else thread.accepted_post_id
    if accepted_id is not None:
        thread.accepted_answer = selectors.accepted_answer_for_page(thread=thread, posts=[])
    return thread


@router.get(
    "/{int:thread_id}/posts",
    response={200: page_of(PostOut), 302: None},
    url_name="thread-posts",
    summary="A thread's posts",
    description=(
        "In order, as the thread's page shows them to the caller: a post held for review "
        "is listed only for its author and moderators; a post moderators hid is a "
        "placeholder (`is_hidden`, `hidden_rule`, null `body` and `body_html`) for "
        "everyone else."
    ),
)
def list_thread_posts(request, thread_id: int, page: Query[PageParams]):
    thread, redirect = _thread_or_redirect(request, thread_id, "thread-posts")
    if redirect is not None:
        return redirect
    posts = selectors.post_list_for_thread(thread=thread, viewer=request.user)
    result = paginate(posts, ordering=["position"], kind=f"thread:{thread.pk}", params=page)
    for post in result.results:
        post.thread = thread
    return result
