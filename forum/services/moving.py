"""Moving a thread to another board, and moving it back.

Callers ask ``check_move_thread`` / ``check_reverse_thread_change`` (forum.permissions)
first. A move keeps the thread's posts, votes and address (/t/<id>/ names no board); its
workflow state becomes the new board's starting state (a Bug is New, a Help question
waits on whoever did not speak last, or is solved when it has an accepted answer), and
the states it had are kept on the ``ThreadMove`` so moving it back restores them exactly.
Both boards' counters (threads, posts, latest post) stay exact in the same transaction.
Each move and each move back is an event line in the thread (kind ``moved``: its
``from_value`` says ``move`` or ``back``, its ``reason`` holds the two board names as
they were, one per line). Open pages and stored pages of the thread and of every list
are replaced after commit.

    thread_move(thread=, to_board=, actor=) -> ThreadMove
    thread_move_reverse(move=, actor=) -> bool
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from forum import ratelimit, realtime
from forum.models import Board, Thread, ThreadEvent, ThreadMove
from forum.services import answers
from forum.services.visibility import _public_post_total, _refresh_board

MOVE_LINE = "move"
BACK_LINE = "back"


def initial_states(*, thread: Thread, board: Board) -> tuple[str, str]:
    """(status, help_state) a thread takes when it arrives on ``board``: what a new
    thread there starts with, except that a Help question keeps what its posts say."""
    status = Thread.Status.NEW if board.kind == Board.Kind.BUGS else ""
    if board.kind != Board.Kind.HELP:
        return status, Thread.HelpState.NONE
    if thread.accepted_post_id is not None:
        return status, Thread.HelpState.SOLVED
    return status, answers._state_by_last_word(thread)


def _locked_boards(*boards: Board) -> dict[int, Board]:
    # In id order, as posts_set_hidden and replies lock them, so nothing deadlocks.
    rows = Board.objects.select_for_update(no_key=True).filter(pk__in=[b.pk for b in boards])
    return {board.pk: board for board in rows.order_by("pk")}


def _change_board(*, thread: Thread, to_board_id: int, status: str, help_state: str) -> None:
    """Put the locked ``thread`` on another board with these states; both boards'
    counters follow (a hidden thread counts on neither)."""
    boards = _locked_boards(thread.board, Board(pk=to_board_id))
    posts = _public_post_total(thread)
    threads = 0 if thread.is_hidden else 1
    old, new = boards[thread.board_id], boards[to_board_id]
    thread.board = new
    thread.status = status
    thread.help_state = help_state
    thread.save(update_fields=["board", "status", "help_state"])
    old.thread_count = max(old.thread_count - threads, 0)
    old.post_count = max(old.post_count - posts, 0)
    new.thread_count += threads
    new.post_count += posts
    for board in (old, new):
        _refresh_board(board)
        board.save(update_fields=["thread_count", "post_count", "last_post", "last_activity_at"])


def _event(*, thread: Thread, actor: User, line: str, from_board: Board, to_board: Board, now):
    ThreadEvent.objects.create(
        thread=thread,
        actor=actor,
        kind=ThreadEvent.Kind.MOVED,
        from_value=line,
        to_value=str(to_board.pk),
        reason=f"{from_board.name}\n{to_board.name}",
        after_position=thread.post_total,
        created_at=now,
    )


def _after_commit(thread: Thread, actor: User) -> None:
    realtime.thread_changed(thread.pk)
    transaction.on_commit(lambda: ratelimit.record_write(actor.pk))


@transaction.atomic
def thread_move(*, thread: Thread, to_board: Board, actor: User) -> ThreadMove:
    """Move ``thread`` to ``to_board`` (see the module docstring). Raises ValidationError
    keyed ``board`` when it is already there, the board is archived, or the thread was
    merged into another. Atomic with the thread and both boards locked."""
    locked = Thread.objects.select_for_update().select_related("board").get(pk=thread.pk)
    if locked.merged_into_id is not None:
        raise ValidationError(
            gettext("This thread was merged into another, so it can't be moved. Split it first.")
        )
    if locked.board_id == to_board.pk:
        raise ValidationError(
            {
                "board": gettext("The thread is already on %(board)s. Choose another board.")
                % {"board": to_board.name}
            }
        )
    if to_board.is_archived:
        raise ValidationError(
            {
                "board": gettext(
                    "%(board)s is archived and takes no threads. Choose another board."
                )
                % {"board": to_board.name}
            }
        )
    from_board = locked.board
    status, help_state = initial_states(thread=locked, board=to_board)
    now = timezone.now()
    move = ThreadMove.objects.create(
        thread=locked,
        from_board=from_board,
        to_board=to_board,
        from_status=locked.status,
        from_help_state=locked.help_state,
        to_status=status,
        actor=actor,
        created_at=now,
    )
    _change_board(thread=locked, to_board_id=to_board.pk, status=status, help_state=help_state)
    _event(
        thread=locked, actor=actor, line=MOVE_LINE, from_board=from_board, to_board=to_board,
        now=now,
    )  # fmt: skip
    _after_commit(locked, actor)
    thread.board, thread.status, thread.help_state = locked.board, status, help_state
    return move


@transaction.atomic
def thread_move_reverse(*, move: ThreadMove, actor: User) -> bool:
    """Move the thread back to the board it came from, with the status and Help state
    it had there, and record who did it on the move. Only the thread's latest move can
    be reversed (ValidationError otherwise). False when it already was."""
    move = (
        ThreadMove.objects.select_for_update()
        .select_related("from_board", "to_board")
        .get(pk=move.pk)
    )
    if move.reversed_at is not None:
        return False
    locked = Thread.objects.select_for_update().select_related("board").get(pk=move.thread_id)
    latest = ThreadMove.objects.filter(thread=locked).order_by("-created_at", "-pk").first()
    if latest.pk != move.pk or locked.board_id != move.to_board_id:
        raise ValidationError(
            gettext(
                "The thread has been moved again since, so this move can't be undone. "
                "Undo its latest move instead."
            )
        )
    if locked.merged_into_id is not None:
        raise ValidationError(
            gettext("This thread was merged into another, so it can't be moved. Split it first.")
        )
    now = timezone.now()
    _change_board(
        thread=locked,
        to_board_id=move.from_board_id,
        status=move.from_status,
        help_state=move.from_help_state,
    )
    move.reversed_at = now
    move.reversed_by = actor
    move.save(update_fields=["reversed_at", "reversed_by"])
    _event(
        thread=locked, actor=actor, line=BACK_LINE, from_board=move.to_board,
        to_board=move.from_board, now=now,
    )  # fmt: skip
    _after_commit(locked, actor)
    return True
