"""Boards as forms and fragments offer them: the choices of a board field, a board named
in a query string (a missing one is simply none, not a 404)."""

from django.db.models import QuerySet

from forum.models import Board


def boards_open_for_threads() -> QuerySet[Board]:
    """Boards a new thread may be started on, in the board list's order."""
    return Board.objects.filter(is_archived=False).order_by("position", "name")


def boards_in_order() -> QuerySet[Board]:
    return Board.objects.order_by("position", "name")


def board_find(*, slug: str) -> Board | None:
    return Board.objects.filter(slug=slug).first()
