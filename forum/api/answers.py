"""Writes: the accepted answer of a Help question (forum.views.answers over JSON): the
asker or staff choose one reply, or clear the choice, through the same lookup, check and
service."""

from django.http import Http404
from ninja import Schema

from forum import selectors
from forum.api.routers import threads as router
from forum.api.writing import requires, submit
from forum.permissions import check_accept_answer
from forum.schemas import ThreadOut
from forum.services import answers as services


class AnswerIn(Schema):
    post_id: int


def _post_in_thread(user, thread, post_id: int):
    """The reply named in the body; 404 for anything else, as for a missing post."""
    post = selectors.post_get_for_user(user=user, post_id=post_id)
    if post.thread_id != thread.pk:
        raise Http404("No such post.")
    return post


@router.put(
    "/{int:thread_id}/answer",
    response=ThreadOut,
    summary="Accept an answer",
    description=(
        "The person who asked, or staff, with the write scope: mark one reply of a Help "
        "question as its accepted answer. The question shows as solved; accepting another "
        "reply replaces the choice."
    ),
)
@requires("write")
def accept_answer(request, thread_id: int, payload: AnswerIn):
    user = request.user
    thread = selectors.thread_get_for_user(user=user, thread_id=thread_id)
    post = _post_in_thread(user, thread, payload.post_id)

    def act():
        services.answer_accept(thread=thread, post=post, actor=user)
        return thread

    return submit(request, check=lambda: check_accept_answer(user, thread, post), act=act)


@router.delete(
    "/{int:thread_id}/answer",
    response=ThreadOut,
    summary="Clear the accepted answer",
    description=(
        "The person who asked, or staff, with the write scope: the question is no longer "
        "marked solved. Clearing a question without one changes nothing."
    ),
)
@requires("write")
def unaccept_answer(request, thread_id: int):
    user = request.user
    thread = selectors.thread_get_for_user(user=user, thread_id=thread_id)

    def act():
        services.answer_unaccept(thread=thread, actor=user)
        return thread

    return submit(request, check=lambda: check_accept_answer(user, thread), act=act)
