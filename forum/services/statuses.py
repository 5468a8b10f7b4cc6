"""Bug and Idea workflow: the staff-set status with its event line in the thread,
votes on ideas and "I'm affected too" on bugs.

Callers ask the one permission check first (``check_set_thread_status``, ``check_vote``,
``check_mark_affected`` in forum.permissions); these functions validate the input, write
atomically with the thread row locked, and return False when nothing changed.

    thread_set_status(thread=, actor=, status=, reason="", duplicate_of=None) -> bool
    thread_vote(thread=, user=, on=True | False) -> bool
    thread_mark_affected(thread=, user=, on=True | False) -> bool
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from accounts.models import User
from forum import pagecache, ratelimit, realtime
from forum.models import Board, Thread, ThreadEvent, ThreadVote
from forum.services import notifications, webhooks
from forum.services.validation import without_control_chars


def _status_list(statuses) -> str:
    labels = [str(Thread.Status(value).label) for value in statuses]
    return gettext("%(some)s or %(last)s") % {"some": ", ".join(labels[:-1]), "last": labels[-1]}


def allowed_statuses(board: Board) -> tuple:
    """The statuses a thread on this board can take (none outside Bugs and Ideas)."""
    if board.kind == Board.Kind.BUGS:
        return Thread.BUG_STATUSES
    if board.kind == Board.Kind.IDEAS:
        return Thread.IDEA_STATUSES
    return ()


def _validate_status_change(
    *, thread: Thread, board: Board, status: str, reason: str, duplicate_of: Thread | None
) -> str:
    """Every rule a status change must meet, reported together keyed by field; returns
    the cleaned reason."""
    allowed = allowed_statuses(board)
    if not allowed:
        raise ValidationError(gettext("Only bug reports and ideas have a status."))
    errors: dict[str, str] = {}
    if status not in allowed:
        if board.kind == Board.Kind.BUGS:
            message = gettext("Choose a status for this bug: %(statuses)s.")
        else:
            message = gettext("Choose a status for this idea: %(statuses)s.")
        errors["status"] = message % {"statuses": _status_list(allowed)}
    reason = without_control_chars(reason or "").strip()
    if len(reason) > Thread.STATUS_REASON_MAX:
        errors["reason"] = gettext(
            "The reason can be at most %(max)s characters; this one has "
            "%(count)s. Shorten it — the details can go in a reply."
        ) % {
            "max": number_format(Thread.STATUS_REASON_MAX, force_grouping=True),
            "count": number_format(len(reason), force_grouping=True),
        }
    elif board.kind == Board.Kind.IDEAS and not reason:
        errors["reason"] = gettext(
            "Say why in a sentence or two: the reason is shown with the idea's status, so "
            "the people who voted know what to expect."
        )
    if status == Thread.Status.DUPLICATE:
        if duplicate_of is None:
            errors["duplicate_of"] = gettext(
                "Give the number of the bug thread this duplicates (the number in its "
                "address, e.g. 123 for /t/123/)."
            )
        elif duplicate_of.pk == thread.pk:
            errors["duplicate_of"] = gettext(
                "A bug can't be a duplicate of itself. Give the number of the other bug thread."
            )
        elif duplicate_of.board.kind != Board.Kind.BUGS:
            errors["duplicate_of"] = gettext(
                "Thread #%(pk)s is not on a Bugs board. Give the number of the "
                "bug thread this duplicates."
            ) % {"pk": duplicate_of.pk}
        elif duplicate_of.duplicate_of_id == thread.pk:
            errors["duplicate_of"] = gettext(
                "Thread #%(pk)s is already marked as a duplicate of this one. "
                "Give the number of the bug thread that stays open."
            ) % {"pk": duplicate_of.pk}
    if errors:
        raise ValidationError(errors)
    return reason


@transaction.atomic
def thread_set_status(
    *,
    thread: Thread,
    actor: User,
    status: str,
    reason: str = "",
    duplicate_of: Thread | None = None,
) -> bool:
    """Set a bug's or an idea's status (staff; ``check_set_thread_status``).

    Bugs take ``Thread.BUG_STATUSES`` with an optional note; ideas take
    ``Thread.IDEA_STATUSES`` and always need a ``reason`` (shown in the thread).
    ``duplicate_of`` — another thread on a Bugs board — is required for Duplicate and
    ignored otherwise. Raises ValidationError keyed by field (``status``, ``reason``,
    ``duplicate_of``) on bad input.

    Atomic, with the thread row locked. Each change appends one ThreadEvent (kind
    status, from/to, reason, after the thread's last post); the thread's watchers are
    notified through forum.services.notifications and open pages refresh after commit.
    Returns False when nothing changed (same status, same duplicate, no new reason)."""
    board = thread.board
    reason = _validate_status_change(
        thread=thread, board=board, status=status, reason=reason, duplicate_of=duplicate_of
    )
    if status != Thread.Status.DUPLICATE:
        duplicate_of = None
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    duplicate_id = duplicate_of.pk if duplicate_of is not None else None
    if (
        locked.status == status
        and locked.duplicate_of_id == duplicate_id
        and (not reason or reason == locked.status_reason)
    ):
        return False
    now = timezone.now()
    from_value = locked.status
    locked.status = status
    locked.status_reason = reason
    locked.status_changed_at = now
    locked.duplicate_of = duplicate_of
    locked.save(update_fields=["status", "status_reason", "status_changed_at", "duplicate_of"])
    event = ThreadEvent.objects.create(
        thread=locked,
        actor=actor,
        kind=ThreadEvent.Kind.STATUS,
        from_value=from_value,
        to_value=status,
        reason=reason,
        duplicate_of=duplicate_of,
        after_position=locked.post_total,
        created_at=now,
    )
    notifications.thread_event_added(event=event)
    realtime.thread_changed(locked.pk)
    webhooks.webhook_event_on_commit(
        webhooks.Event.STATUS_CHANGED,
        subject=f"thread_event:{event.pk}",
        board_id=locked.board_id,
        thread_id=locked.pk,
        thread_event_id=event.pk,
    )
    thread.status = status
    thread.status_reason = reason
    thread.status_changed_at = now
    thread.duplicate_of = duplicate_of
    return True


def _toggle_vote(*, thread: Thread, user: User, kind: str, counter: str, on: bool) -> bool:
    """Add or remove one ThreadVote of ``kind`` and move ``counter`` with it, exactly once.

    The thread row is locked, so concurrent toggles on one thread queue up and the
    counter stays equal to the rows; the unique constraint (thread, user, kind) still
    guards a double vote from a second request (a savepoint turns its IntegrityError
    into "nothing changed")."""
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if on:
            try:
                with transaction.atomic():
                    ThreadVote.objects.create(
                        thread=locked, user=user, kind=kind, created_at=timezone.now()
                    )
            except IntegrityError:
                return False
            delta = 1
        else:
            deleted, _ = ThreadVote.objects.filter(thread=locked, user=user, kind=kind).delete()
            if not deleted:
                return False
            delta = -1
        Thread.objects.filter(pk=locked.pk).update(**{counter: F(counter) + delta})
        setattr(thread, counter, max(getattr(locked, counter) + delta, 0))
        transaction.on_commit(lambda: ratelimit.record_write(user.pk))
        # Pages show the counts; no live event carries them.
        pagecache.thread_changed_on_commit(thread.pk)
    return True


def thread_vote(*, thread: Thread, user: User, on: bool) -> bool:
    """Vote for an idea (``on=True``) or take the vote back (``on=False``); callers ask
    ``check_vote`` (members can't vote on their own idea). One vote per member per idea:
    voting twice, or removing a vote that isn't there, changes nothing and returns False.
    Atomic; ``thread.vote_count`` is kept equal to the votes (also on the object passed
    in). Counts against the member's write budget after commit."""
    return _toggle_vote(
        thread=thread, user=user, kind=ThreadVote.Kind.VOTE, counter="vote_count", on=on
    )


def thread_mark_affected(*, thread: Thread, user: User, on: bool) -> bool:
    """Say "I'm affected too" on a bug (``on=True``) or take it back (``on=False``);
    callers ask ``check_mark_affected``. Once per member per bug; a repeat changes nothing
    and returns False. Atomic; ``thread.affected_count`` stays exact (also on the object
    passed in). Counts against the member's write budget after commit."""
    return _toggle_vote(
        thread=thread,
        user=user,
        kind=ThreadVote.Kind.AFFECTED,
        counter="affected_count",
        on=on,
    )
