"""Writes: starting a thread on a board, replying to a thread. Each is the site's form
post (forum.views.threads ThreadCreateView, ThreadReplyView) over JSON: the same lookup,
check, form, spam screening and service, so a blocked member, a locked thread or an
archived board is refused with the same sentence, and a post the spam filter holds is
written held (``is_held``: true) and waits for a moderator, as on the site."""

from django.http import HttpResponse
from ninja import Header, Schema, Status

from forum import selectors
from forum.api.routers import boards as board_router
from forum.api.routers import threads as thread_router
from forum.api.writing import IDEMPOTENCY_DESCRIPTION, IDEMPOTENCY_HEADER, requires, submit
from forum.forms import PostForm, ThreadForm
from forum.permissions import check_reply, check_start_thread
from forum.schemas import PostOut, ThreadOut
from forum.views.threads import reply_from_form, start_thread_from_form

API_ROOT = "/api/v1"
# The form's hidden field is the API's header.
FIELD_NAMES = {"submission_key": IDEMPOTENCY_HEADER}


class ThreadIn(Schema):
    # Left to the site's form to require, so a missing field is answered in its words.
    title: str | None = None
    body: str | None = None


class ReplyIn(Schema):
    body: str | None = None


def _form_data(payload: Schema, key: str) -> dict:
    data = {name: value for name, value in payload.dict().items() if value is not None}
    return {**data, "submission_key": key}


@board_router.post(
    "/{slug}/threads",
    response={201: ThreadOut},
    summary="Start a thread",
    description=(
        "Needs the write scope. Refused as on the site for a blocked member, an archived "
        "board, a locked board or slow mode, and past the write budget (FORUM_WRITE_RATE)."
    ),
)
@requires("write")
def start_thread(
    request,
    response: HttpResponse,
    slug: str,
    payload: ThreadIn,
    idempotency_key: str = Header(
        default="", alias=IDEMPOTENCY_HEADER, description=IDEMPOTENCY_DESCRIPTION
    ),
):
    board = selectors.board_get(slug=slug)
    user = request.user

    def act(form):
        return start_thread_from_form(request, form, board=board)

    thread = submit(
        request,
        check=lambda: check_start_thread(user, board),
        form_class=ThreadForm,
        data=_form_data(payload, idempotency_key.strip()),
        act=act,
        field_names=FIELD_NAMES,
    )
    if thread.board_id == board.pk:
        # Spares reading the board again (a resent key hands back the thread as it was).
        thread.board = board
    response["Location"] = f"{API_ROOT}/threads/{thread.pk}"
    return Status(201, thread)


@thread_router.post(
    "/{int:thread_id}/posts",
    response={201: PostOut},
    summary="Reply to a thread",
    description=(
        "Needs the write scope. Refused as on the site for a blocked member, a locked "
        "thread or board, slow mode, a thread held for review, and past the write budget."
    ),
)
@requires("write")
def reply(
    request,
    response: HttpResponse,
    thread_id: int,
    payload: ReplyIn,
    idempotency_key: str = Header(
        default="", alias=IDEMPOTENCY_HEADER, description=IDEMPOTENCY_DESCRIPTION
    ),
):
    thread = selectors.thread_get_for_writer(user=request.user, thread_id=thread_id)
    user = request.user

    def act(form):
        return reply_from_form(request, form, thread=thread)

    post = submit(
        request,
        check=lambda: check_reply(user, thread),
        form_class=PostForm,
        data=_form_data(payload, idempotency_key.strip()),
        act=act,
        field_names=FIELD_NAMES,
    )
    response["Location"] = f"{API_ROOT}/posts/{post.pk}"
    return Status(201, post)
