"""Writes: a member flags a post for moderators (moderation.views.flags PostFlagView over
JSON): the same lookup, check, form and service. Flags on one post join one review item;
a member flags a post once."""

from datetime import datetime

from ninja import Schema, Status

from forum import selectors
from forum.api.routers import posts as router
from forum.api.writing import requires, submit
from moderation import services
from moderation.forms.flags import PostFlagForm
from moderation.permissions import check_flag_post


class FlagIn(Schema):
    # "rule" (with rule_code, e.g. "G3"), "spam", or "other" (with text).
    reason: str | None = None
    rule_code: str | None = None
    text: str | None = None


class FlagOut(Schema):
    id: int
    post_id: int
    reason: str
    rule_code: str
    text: str
    created_at: datetime


@router.post(
    "/{int:post_id}/flags",
    response={201: FlagOut},
    summary="Flag a post",
    description=(
        'Needs the write scope. Why moderators should look: reason "rule" with the '
        'guideline rule\'s code (rule_code, e.g. "G3"), "spam", or "other" with text '
        "saying what is wrong. Only moderators read it; the author is not told who flagged. "
        "Refused for a blocked member, one's own post, a hidden post, or a second flag."
    ),
)
@requires("write")
def flag_post(request, post_id: int, payload: FlagIn):
    user = request.user
    post = selectors.post_get_for_user(user=user, post_id=post_id)

    def act(form):
        data = form.cleaned_data
        return services.flag_create(
            flagger=user,
            post=post,
            reason=data["reason"],
            rule_code=data["rule_code"],
            text=data["text"],
        )

    data = {name: value for name, value in payload.dict().items() if value is not None}
    flag = submit(
        request,
        check=lambda: check_flag_post(user, post),
        form_class=PostFlagForm,
        data=data,
        act=act,
    )
    return Status(201, flag)
