"""Reading boards: the list, one board, and a board's threads."""

from django.core.exceptions import ValidationError
from ninja import Query, Schema

from forum import selectors
from forum.api.pagination import PageParams, page_of, paginate
from forum.api.routers import boards as router
from forum.filters import ThreadFilter
from forum.schemas import BoardOut, ThreadOut


class ThreadFilters(Schema):
    """The board page's filters, with the same names and values (which of them a board
    offers depends on its kind, as on the page). Checked by the page's own FilterSet, so a
    wrong value is refused in the page's words."""

    status: str | None = None
    state: str | None = None
    staff_reply: str | None = None
    at_least: str | None = None
    active: str | None = None
    created_after: str | None = None
    created_before: str | None = None
    author: str | None = None
    sort: str | None = None


@router.get("", response=list[BoardOut], summary="List boards")
def list_boards(request):
    return list(selectors.board_list())


@router.get("/{slug}", response=BoardOut, summary="One board")
def get_board(request, slug: str):
    return selectors.board_get(slug=slug)


@router.get(
    "/{slug}/threads",
    response=page_of(ThreadOut),
    summary="A board's threads",
    description=(
        "The threads the board's page lists, pinned first, then by the sort (`latest` by "
        "default). Filters as on the board's page: `status` (Bugs, Ideas; `none` for ideas "
        "not reviewed yet), `state` (Help: `unsolved`, `solved`, `awaiting_staff`, "
        "`awaiting_asker`), `staff_reply` (`yes`, `no`), `at_least` (votes on Ideas, "
        "affected on Bugs), `active` (`7`, `30` days), `created_after` / `created_before` "
        "(YYYY-MM-DD), `author` (a username), `sort` (`latest`, `newest`, `replies`; "
        "`votes` on Ideas, `affected` on Bugs). A value the board doesn't offer is a 400 "
        "naming the field."
    ),
)
def list_board_threads(
    request,
    slug: str,
    filters: Query[ThreadFilters],
    page: Query[PageParams],
):
    board = selectors.board_get(slug=slug)
    given = {name: value for name, value in filters.dict().items() if value not in (None, "")}
    filterset = ThreadFilter(given or None, board=board)
    if not filterset.usable:
        raise ValidationError(filterset.form.errors.as_data())
    threads, ordering = selectors.board_thread_list(board=board, filterset=filterset)
    result = paginate(
        threads, ordering=ordering, kind=f"board:{board.pk}:{filterset.sort_key()}", params=page
    )
    for thread in result.results:
        # Every row is on this board: spares a join.
        thread.board = board
    return result
