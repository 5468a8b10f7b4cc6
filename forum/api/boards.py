"""Reading boards: the list, and one board."""

from django.shortcuts import get_object_or_404
from ninja import Schema

from forum.api.routers import boards as router
from forum.models import Board
from forum.selectors import board_list


class BoardOut(Schema):
    slug: str
    name: str
    description: str
    kind: str
    is_archived: bool
    thread_count: int
    post_count: int
    last_activity_at: str | None = None
    url: str

    @staticmethod
    def resolve_url(board) -> str:
        return board.get_absolute_url()

    @staticmethod
    def resolve_last_activity_at(board) -> str | None:
        return board.last_activity_at.isoformat() if board.last_activity_at else None


@router.get("", response=list[BoardOut], summary="List boards")
def list_boards(request):
    return list(board_list())


@router.get("/{slug}", response=BoardOut, summary="One board")
def get_board(request, slug: str):
    return get_object_or_404(Board, slug=slug)
