"""Help workflow: a Help thread's state, its accepted answer, official answers,
and the asker's answer to the staff prompt ("Did this fix everything?").

A Help thread is always in one of three states (``Thread.HelpState``):

* *awaiting staff* — new, the asker replied last, or the asker said "Not yet";
* *awaiting the asker* — a staff member replied last;
* *solved* — an answer was accepted or the asker said "Yes, solved".

Replies move the state (``post_added``); the asker and staff move it explicitly with the
services below. As in Discourse, a reply never unsolves a solved thread: that takes
unaccepting the answer or the asker saying "Not yet".

Every service here is atomic, locks the thread row before reading what it changes,
returns False when nothing changed, appends one ``ThreadEvent`` line per change (shown
in the thread by ``_post_events.html``) and tells open pages after commit
(``realtime.thread_changed``). Callers ask the permission check first
(``forum.permissions``).
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import employee_q
from forum import realtime
from forum.models import Post, Thread, ThreadEvent
from forum.services import notifications, webhooks

State = Thread.HelpState


def _lock(thread: Thread) -> Thread:
    return Thread.objects.select_for_update().get(pk=thread.pk)


def _event(*, thread: Thread, actor: User, kind: str, from_value: str = "", to_value: str = "",
           post_id: int | None = None, now) -> ThreadEvent:  # fmt: skip
    """One event line, shown after the thread's last post as it is now."""
    return ThreadEvent.objects.create(
        thread=thread,
        actor=actor,
        kind=kind,
        from_value=from_value,
        to_value=to_value,
        post_id=post_id,
        after_position=thread.post_total,
        created_at=now,
    )


def _copy_back(thread: Thread, locked: Thread) -> None:
    """Keep the caller's object in step with the row, as post_create does."""
    # Setting accepted_post_id drops a cached accepted_post that no longer matches.
    for name in ("help_state", "accepted_post_id", "solved_at", "reopened_at"):
        setattr(thread, name, getattr(locked, name))


def _state_by_last_word(thread: Thread) -> str:
    """Unsolved, the thread waits on whoever did not speak last: the asker's own latest
    post puts it back with staff, a staff member's with the asker. Other members' replies
    don't move it, so only the asker's and staff posts count. One query."""
    last = (
        Post.objects.filter(thread=thread)
        .filter(Q(author_id=thread.author_id) | employee_q("author__"))
        .order_by("-position")
        .values_list("author_id", flat=True)
        .first()
    )
    if last is None or last == thread.author_id:
        return State.AWAITING_STAFF
    return State.AWAITING_ASKER


def post_added(*, thread: Thread, post: Post) -> bool:
    """Move a Help thread's state for a new post. Called by ``forum.services.posts``
    inside its transaction with the thread row locked, for every new post (the opening
    post included, which changes nothing: ``thread_create`` starts Help threads as
    awaiting staff). Not a Help thread (no help state): nothing happens.

    * The asker replies: awaiting staff again (a solved thread stays solved).
    * A staff member replies: awaiting the asker (a solved thread stays solved); the first
      staff reply's time is kept for the response-time figures; a "Not yet" is answered,
      so the thread leaves the staff queue.
    * Anyone else: no change.

    On every board the first staff reply's time is recorded (the "has staff reply"
    filter and marker read it). Returns True when the thread changed (saved with
    ``update_fields``)."""
    if post.position == 1:
        return False
    changed: list[str] = []
    is_staff_reply = post.author_id != thread.author_id and post.author.is_employee
    if is_staff_reply and thread.first_staff_reply_at is None:
        thread.first_staff_reply_at = post.created_at
        changed.append("first_staff_reply_at")
    if not thread.help_state:
        pass
    elif post.author_id == thread.author_id:
        if thread.help_state == State.AWAITING_ASKER:
            thread.help_state = State.AWAITING_STAFF
            changed.append("help_state")
    elif is_staff_reply:
        if thread.help_state == State.AWAITING_STAFF:
            thread.help_state = State.AWAITING_ASKER
            changed.append("help_state")
        if thread.reopened_at is not None:
            thread.reopened_at = None
            changed.append("reopened_at")
    if changed:
        thread.save(update_fields=changed)
    return bool(changed)


@transaction.atomic
def answer_accept(*, thread: Thread, post: Post, actor: User) -> bool:
    """Mark ``post`` (a visible reply in ``thread``) as the accepted answer: the thread
    becomes solved and leaves the staff queue. Accepting another reply replaces the
    earlier choice. Appends an ``accepted`` event line and notifies the answer's author
    (not when they accepted it themselves). False when it already was the answer."""
    if post.thread_id != thread.pk or post.position == 1:
        raise ValueError("The accepted answer must be a reply in the same thread.")
    locked = _lock(thread)
    if locked.accepted_post_id == post.pk and locked.help_state == State.SOLVED:
        return False
    now = timezone.now()
    before = locked.help_state
    locked.accepted_post = post
    if before != State.SOLVED or locked.solved_at is None:
        locked.solved_at = now
    locked.help_state = State.SOLVED
    locked.reopened_at = None
    locked.save(update_fields=["accepted_post", "help_state", "solved_at", "reopened_at"])
    event = _event(
        thread=locked, actor=actor, kind=ThreadEvent.Kind.ACCEPTED,
        from_value=before, to_value=State.SOLVED, post_id=post.pk, now=now,
    )  # fmt: skip
    if post.author_id != actor.pk:
        notifications.thread_event_added(event=event, recipients=[post.author])
    realtime.thread_changed(locked.pk)
    webhooks.webhook_event_on_commit(
        webhooks.Event.ANSWER_ACCEPTED,
        subject=f"thread_event:{event.pk}",
        board_id=locked.board_id,
        thread_id=locked.pk,
        thread_event_id=event.pk,
    )
    _copy_back(thread, locked)
    return True


@transaction.atomic
def answer_unaccept(*, thread: Thread, actor: User) -> bool:
    """Reverse ``answer_accept`` (or an asker's "Yes, solved"): no accepted answer, and the
    thread is unsolved again, waiting on whoever did not post last (the asker's or staff's
    latest post decides). Appends an ``unaccepted`` event line naming the answer it
    withdrew. False when the thread was neither solved nor had an accepted answer."""
    locked = _lock(thread)
    if locked.accepted_post_id is None and locked.help_state != State.SOLVED:
        return False
    now = timezone.now()
    before = locked.help_state
    withdrawn_id = locked.accepted_post_id
    locked.accepted_post = None
    locked.solved_at = None
    locked.help_state = _state_by_last_word(locked)
    locked.save(update_fields=["accepted_post", "help_state", "solved_at"])
    _event(
        thread=locked, actor=actor, kind=ThreadEvent.Kind.UNACCEPTED,
        from_value=before, to_value=locked.help_state,
        post_id=withdrawn_id, now=now,
    )  # fmt: skip
    realtime.thread_changed(locked.pk)
    _copy_back(thread, locked)
    return True


def _latest_staff_reply(thread: Thread) -> Post | None:
    """The newest visible reply by staff (not by the asker), with its author. One query."""
    return (
        Post.objects.filter(thread=thread, position__gt=1, is_hidden=False)
        .filter(employee_q("author__"))
        .exclude(author_id=thread.author_id)
        .select_related("author")
        .order_by("-position")
        .first()
    )


@transaction.atomic
def prompt_respond(*, thread: Thread, actor: User, solved: bool) -> bool:
    """The asker's answer to "Did this fix everything?".

    ``solved=True`` ("Yes, solved"): the thread is solved; with no accepted answer yet,
    the latest visible staff reply becomes it (its author is notified). Appends a
    ``solved`` event line. False when it was solved already.

    ``solved=False`` ("Not yet"): the thread goes back to awaiting staff and into the
    staff's unanswered queue (``reopened_at``) until a staff member replies; an accepted
    answer is withdrawn. Appends a ``not_yet`` event line. False when the asker had
    already said so and no staff member has replied since."""
    locked = _lock(thread)
    now = timezone.now()
    before = locked.help_state
    if solved:
        if before == State.SOLVED:
            return False
        answer = None
        if locked.accepted_post_id is None:
            answer = _latest_staff_reply(locked)
            locked.accepted_post = answer
        locked.help_state = State.SOLVED
        locked.solved_at = now
        locked.reopened_at = None
        locked.save(update_fields=["accepted_post", "help_state", "solved_at", "reopened_at"])
        event = _event(
            thread=locked, actor=actor, kind=ThreadEvent.Kind.SOLVED,
            from_value=before, to_value=State.SOLVED,
            post_id=locked.accepted_post_id, now=now,
        )  # fmt: skip
        if answer is not None and answer.author_id != actor.pk:
            notifications.thread_event_added(event=event, recipients=[answer.author])
    else:
        if before == State.AWAITING_STAFF and locked.reopened_at is not None:
            return False
        locked.help_state = State.AWAITING_STAFF
        locked.reopened_at = now
        locked.accepted_post = None
        locked.solved_at = None
        locked.save(update_fields=["accepted_post", "help_state", "solved_at", "reopened_at"])
        _event(
            thread=locked, actor=actor, kind=ThreadEvent.Kind.NOT_YET,
            from_value=before, to_value=State.AWAITING_STAFF, now=now,
        )  # fmt: skip
    realtime.thread_changed(locked.pk)
    _copy_back(thread, locked)
    return True


@transaction.atomic
def post_set_official(*, post: Post, actor: User, official: bool) -> bool:
    """Mark (or unmark) a staff reply as the company's official answer. Several replies
    may be official. Marking appends an ``official`` event line; unmarking is quiet (the
    mark simply goes). False when the post already was (or wasn't) official."""
    locked = _lock(post.thread)
    updated = (
        Post.objects.filter(pk=post.pk)
        .exclude(is_official_answer=official)
        .update(is_official_answer=official)
    )
    post.is_official_answer = official
    if not updated:
        return False
    if official:
        _event(
            thread=locked, actor=actor, kind=ThreadEvent.Kind.OFFICIAL,
            post_id=post.pk, now=timezone.now(),
        )  # fmt: skip
    realtime.thread_changed(locked.pk)
    return True
