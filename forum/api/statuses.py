"""Writes: staff set a bug's or an idea's status (forum.views.statuses ThreadStatusView
over JSON): the same lookup, check, form and service."""

from ninja import Schema

from forum import selectors
from forum.api.routers import threads as router
from forum.api.writing import requires, submit
from forum.forms import ThreadStatusForm
from forum.permissions import check_set_thread_status
from forum.schemas import ThreadOut
from forum.views.statuses import set_status_from_form


class StatusIn(Schema):
    status: str | None = None
    reason: str | None = None
    # Bugs only, with "duplicate": the number of the bug thread this one repeats.
    duplicate_of: int | None = None


@router.put(
    "/{int:thread_id}/status",
    response=ThreadOut,
    summary="Set a bug's or an idea's status",
    description=(
        "Staff only, with the write scope. Bugs: new, needs_info, confirmed, in_progress, "
        "fixed, wont_fix, duplicate (with duplicate_of). Ideas: under_review, planned, "
        "shipped, declined, each with a reason. Watchers are told, and an event line "
        "appears in the thread. Setting the status it already has changes nothing."
    ),
)
@requires("write")
def set_status(request, thread_id: int, payload: StatusIn):
    user = request.user
    thread = selectors.thread_get_for_user(user=user, thread_id=thread_id)

    def act(form):
        set_status_from_form(form, thread=thread, actor=user)
        return thread

    data = {name: value for name, value in payload.dict().items() if value is not None}
    return submit(
        request,
        check=lambda: check_set_thread_status(user, thread),
        form_class=ThreadStatusForm,
        data=data,
        form_kwargs={"thread": thread},
        act=act,
    )
