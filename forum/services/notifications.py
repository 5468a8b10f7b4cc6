"""In-app notifications: the one place that decides who hears about what.

* at most one Notification per member per post and per thread event (the unique
  constraints are the backstop), with the most specific reason winning — mention >
  staff reply > keyword > reply / new thread;
* never to the member who acted;
* a muted thread (or a muted board, unless the member watches the thread) silences
  everything except what is addressed to the member personally: a direct @mention, or
  an event whose caller names them (their answer was accepted);
* nothing is created for a post that is hidden already; a post hidden later shows as
  hidden in the list, and emails not yet sent are dropped (forum.services.emails).

Immediate emails are queued after commit as a task (``forum.tasks``), which writes them
to the outbox. Members choose immediately / daily digest / never
(``User.email_frequency``) here too.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import staff_team_q
from forum import realtime
from forum.mentions import mentioned_users
from forum.models import Board, ContactMessage, Notification, Post, Thread, ThreadEvent, Watch
from forum.selectors.notifications import EMAILED_KINDS, Frequency, Kind
from forum.services import keywords
from forum.services.watching import (
    ThreadAudience,
    thread_audience,
    watchers_of_board,
    watchers_of_thread,
)
from forum.tasks import send_notification_emails

# --- Who hears about what -----------------------------------------------------------------


def _staff_users():
    """Employees (staff role, or moderators/admins with a job title) and site admins."""
    return User.objects.filter(staff_team_q())


def _muted_user_ids(thread: Thread) -> set[int]:
    """Members who muted this thread, or muted its board without watching the thread.
    One query."""
    rows = Watch.objects.filter(
        Q(thread_id=thread.pk) | Q(board_id=thread.board_id, level=Watch.Level.MUTED)
    ).values_list("user_id", "thread_id", "level")
    muted, board_muted, thread_watching = set(), set(), set()
    for user_id, thread_id, level in rows:
        if thread_id is None:
            board_muted.add(user_id)
        elif level == Watch.Level.MUTED:
            muted.add(user_id)
        elif level == Watch.Level.WATCHING:
            thread_watching.add(user_id)
    return muted | (board_muted - thread_watching)


def _create(rows: list[Notification]) -> list[Notification]:
    """Write a batch and queue the immediate emails after commit. The unique constraints
    are the backstop against a second notification for the same post or event (a
    concurrent writer): on a conflict the rows are written one by one, skipping the
    duplicates."""
    if not rows:
        return []
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows)
    except IntegrityError:
        created = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except IntegrityError:
                continue
            created.append(row)
    realtime.unread_counts_changed(n.recipient_id for n in created)
    email_ids = [
        n.pk
        for n in created
        if n.kind in EMAILED_KINDS
        and n.recipient.email_frequency == Frequency.IMMEDIATELY
        and n.recipient.email
    ]
    if email_ids:
        transaction.on_commit(lambda: _enqueue_emails(email_ids), robust=True)
    return created


def _enqueue_emails(notification_ids: list[int]) -> None:
    send_notification_emails.enqueue(notification_ids=notification_ids)


# Nested in the post's own transaction: a savepoint would only add two round trips.
@transaction.atomic(savepoint=False)
def post_added(
    *, post: Post, thread: Thread, audience: ThreadAudience | None = None
) -> list[Notification]:
    """Decide who hears about a new post, once each, and record it. Called by
    ``forum.services.posts`` inside its transaction for every new post.

    Priority (one notification per member): mentioned members (even in a muted thread)
    > the asker, when staff reply on a Help thread > staff whose keyword watch matches >
    the thread's watchers (a reply) or the board's watchers (an opening post). Never the
    author; nothing for a post already hidden. Emails follow after commit. ``audience``
    is the thread's watch rows as the caller read them in this transaction (a reply)."""
    if post.is_hidden:
        return []
    author_id = post.author_id
    if post.is_opening_post:
        muted, watching = _muted_user_ids(thread), set()
    else:
        # One read of the watch rows answers both (``audience``, when the caller read
        # them in this transaction); the watchers are loaded only if any of them is
        # still to be told, after the more specific reasons below.
        watching, muted, _ = audience or thread_audience(thread)
    chosen: dict[int, tuple[User, str, str]] = {}

    def offer(user: User, kind: str, text: str = "") -> None:
        if user.pk == author_id or user.pk in chosen:
            return
        if kind != Kind.MENTION and user.pk in muted:
            return
        chosen[user.pk] = (user, kind, text)

    for user in mentioned_users(post.body):
        offer(user, Kind.MENTION)
    if not post.is_opening_post and post.author.is_employee and thread.author_id != author_id:
        help_thread = (
            Thread.objects.select_related("author")
            .filter(pk=thread.pk, board__kind=Board.Kind.HELP)
            .first()
        )
        if help_thread is not None:
            offer(help_thread.author, Kind.STAFF_REPLY)
    for user, term in keywords.staff_matching(post=post).items():
        offer(user, Kind.KEYWORD, str(term))
    if post.is_opening_post:
        for user in watchers_of_board(thread.board):
            offer(user, Kind.NEW_THREAD)
    else:
        remaining = watching - muted - chosen.keys() - {author_id}
        if remaining:
            for user in User.objects.filter(pk__in=remaining).order_by("pk"):
                offer(user, Kind.REPLY)

    now = timezone.now()
    return _create(
        [
            Notification(
                recipient=user,
                kind=kind,
                actor_id=author_id,
                thread_id=thread.pk,
                post=post,
                text=text[:300],
                created_at=now,
            )
            for user, kind, text in chosen.values()
        ]
    )


@transaction.atomic
def thread_event_added(
    *, event: ThreadEvent, recipients: Iterable[User] | None = None
) -> list[Notification]:
    """Tell people about a thread event (a status change, an accepted answer…).

    ``recipients=None`` means the thread's watchers (members who muted it are not
    watchers); named recipients (e.g. the author of an accepted answer) are told even
    if they muted the thread, as the event concerns them personally. Never the actor;
    at most one notification per member per event; emails follow after commit."""
    if recipients is None:
        recipients = watchers_of_thread(event.thread)
    # "Yes, solved" accepts the staff answer too: its author hears it as an acceptance.
    accepted = event.kind in (ThreadEvent.Kind.ACCEPTED, ThreadEvent.Kind.SOLVED)
    kind = Kind.ACCEPTED if accepted else Kind.STATUS
    text = _event_text(event)[:300]
    now = timezone.now()
    chosen: dict[int, User] = {}
    for user in recipients:
        if user.pk != event.actor_id:
            chosen.setdefault(user.pk, user)
    # ``post`` stays empty: (recipient, post) is unique and belongs to the post's own
    # notification; the event's post is reached through ``event``.
    return _create(
        [
            Notification(
                recipient=user,
                kind=kind,
                actor_id=event.actor_id,
                thread_id=event.thread_id,
                event=event,
                text=text,
                created_at=now,
            )
            for user in chosen.values()
        ]
    )


def _event_text(event: ThreadEvent) -> str:
    """The status label for a status change, else the event's name."""
    if event.kind == ThreadEvent.Kind.STATUS:
        return str(dict(Thread.Status.choices).get(event.to_value, event.to_value))
    return str(event.get_kind_display())


@transaction.atomic
def thread_assigned(*, thread: Thread, assignee: User, actor: User) -> list[Notification]:
    """Tell a colleague a thread was assigned to them (in-app, and by email as they chose).
    Nothing when they assigned it to themselves. Personal, so a mute does not silence it."""
    if assignee.pk == actor.pk:
        return []
    return _create(
        [
            Notification(
                recipient=assignee,
                kind=Kind.ASSIGNED,
                actor_id=actor.pk,
                thread_id=thread.pk,
                created_at=timezone.now(),
            )
        ]
    )


@transaction.atomic
def contact_message_received(*, message: ContactMessage) -> list[Notification]:
    """Notify every staff member (employees and site admins) in-app, kind CONTACT, with
    the topic and subject as text. The sender is never notified. In-app only: the contact
    service emails staff itself."""
    now = timezone.now()
    text = f"{message.get_topic_display()}: {message.subject}"[:300]
    staff = _staff_users()
    if message.user_id:
        staff = staff.exclude(pk=message.user_id)
    return _create(
        [
            Notification(
                recipient=user,
                kind=Kind.CONTACT,
                actor_id=message.user_id,
                text=text,
                created_at=now,
            )
            for user in staff
        ]
    )


# --- The member's own state ---------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, notification: Notification, user: User) -> bool:
    """Mark one of the member's own notifications read. False if it already was (or is
    not theirs — callers look it up for the member, so that does not happen)."""
    now = timezone.now()
    updated = Notification.objects.filter(
        pk=notification.pk, recipient=user, read_at__isnull=True
    ).update(read_at=now)
    if updated:
        notification.read_at = now
        realtime.unread_counts_changed([user.pk])
    return bool(updated)


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the member read; returns how many changed."""
    changed = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if changed:
        realtime.unread_counts_changed([user.pk])
    return changed


def notifications_mark_read_in_thread(*, user: User, thread: Thread, up_to_position: int) -> int:
    """Reading a thread reads its notifications: those about posts (and event lines) up to
    ``up_to_position`` are marked read, as the bell and the list would show them
    otherwise. One UPDATE; returns how many changed."""
    changed = (
        Notification.objects.filter(recipient=user, thread=thread, read_at__isnull=True)
        .filter(
            Q(post__position__lte=up_to_position) | Q(event__after_position__lte=up_to_position)
        )
        .update(read_at=timezone.now())
    )
    if changed:
        realtime.unread_counts_changed([user.pk])
    return changed


@transaction.atomic
def email_frequency_set(*, user: User, frequency: str) -> bool:
    """How the member's notifications reach them by email: immediately, a daily digest,
    or never (in-app notifications always appear). False when unchanged."""
    if frequency not in Frequency.values:
        raise ValueError(f"Unknown email frequency {frequency!r}.")
    updated = (
        User.objects.filter(pk=user.pk)
        .exclude(email_frequency=frequency)
        .update(email_frequency=frequency)
    )
    user.email_frequency = frequency
    return bool(updated)
