"""Reading one post."""

from forum import selectors
from forum.api.routers import posts as router
from forum.schemas import PostOut


@router.get(
    "/{int:post_id}",
    response=PostOut,
    summary="One post",
    description=(
        "As its thread's page shows it to the caller. A post held for review, or in a "
        "thread moderators hid, is a 404 for those who may not see it, like a missing one."
    ),
)
def get_post(request, post_id: int):
    return selectors.post_get_for_user(user=request.user, post_id=post_id)
