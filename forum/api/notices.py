"""Reading the sitewide notices in force."""

from ninja import Query, Schema

from forum import selectors
from forum.api.routers import notices as router
from forum.schemas import NoticeOut


class NoticeParams(Schema):
    # The notices a board's pages show too (those aimed at that board).
    board: str | None = None


@router.get(
    "",
    response=list[NoticeOut],
    summary="Notices in force",
    description=(
        "The notices the site shows the caller now, most severe first, then newest, each "
        "with the thread where people discuss it. With `board` (a board's slug), also "
        "those aimed at that board's pages. Info notices the member dismissed are left "
        "out, as on the site."
    ),
)
def list_notices(request, params: Query[NoticeParams]):
    board = selectors.board_get(slug=params.board) if params.board else None
    shown, _ = selectors.notices_for_page(user=request.user, board=board)
    return shown
