"""In-app notifications and their emails.

The one place that decides who hears about what:

* at most one Notification per member per post and per thread event (the unique
  constraints are the backstop), with the most specific reason winning — mention >
  staff reply > keyword > reply / new thread;
* never to the member who acted;
* a muted thread (or a muted board, unless the member watches the thread) silences
  everything except what is addressed to the member personally: a direct @mention, or
  an event whose caller names them (their answer was accepted);
* nothing is created for a post that is hidden already; a post hidden later shows as
  hidden in the list, and emails not yet sent are dropped.

Emails are decided by a django-tasks task after commit (so a rolled-back post queues
nothing, and what changed meanwhile — read, hidden, unsubscribed — is respected), which
writes them to the outbox (``accounts.mail``) and sets ``emailed_at`` in one
transaction: each notification is emailed once, even if the task runs twice. The outbox
delivers with retries and dead letters, so a mail server outage blocks no page and loses
nothing. A task that never ran leaves ``emailed_at`` empty for
``send_digests --retry-only``. Members choose immediately / daily digest / never
(``User.email_frequency``); every email carries a one-click unsubscribe link.
"""

import html
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from accounts.mail import email_enqueue
from accounts.models import OutboundEmail, User
from accounts.roles import staff_team_q
from forum import realtime
from forum.models import Board, ContactMessage, Notification, Post, Thread, ThreadEvent, Watch

Kind = Notification.Kind
Frequency = User.EmailFrequency

UNSUBSCRIBE_SALT = "forum.notifications.unsubscribe"
# Contact messages are emailed to staff by forum.services.contact's own task; in-app only.
EMAILED_KINDS = tuple(k for k in Kind.values if k != Kind.CONTACT)
# An immediate email not handed to the outbox after this long had its task lost or failed
# (e.g. the database was away); ``send_digests --retry-only`` queues it again (the task
# normally runs within seconds).
RETRY_AFTER = timedelta(minutes=10)
DIGEST_WINDOW = timedelta(days=1)
EXCERPT_CHARS = 200


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
    from forum.tasks import send_notification_emails

    send_notification_emails.enqueue(notification_ids=notification_ids)


@transaction.atomic
def post_added(*, post: Post, thread: Thread) -> list[Notification]:
    """Decide who hears about a new post, once each, and record it. Called by
    ``forum.services._add_post`` inside its transaction for every new post.

    Priority (one notification per member): mentioned members (even in a muted thread)
    > the asker, when staff reply on a Help thread > staff whose keyword watch matches >
    the thread's watchers (a reply) or the board's watchers (an opening post). Never the
    author; nothing for a post already hidden. Emails follow after commit."""
    from forum.mentions import mentioned_users
    from forum.services.keywords import staff_matching
    from forum.services.watching import watchers_of_board, watchers_of_thread

    if post.is_hidden:
        return []
    author_id = post.author_id
    muted = _muted_user_ids(thread)
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
    for user, term in staff_matching(post=post).items():
        offer(user, Kind.KEYWORD, str(term))
    if post.is_opening_post:
        for user in watchers_of_board(thread.board):
            offer(user, Kind.NEW_THREAD)
    else:
        for user in watchers_of_thread(thread):
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
    from forum.services.watching import watchers_of_thread

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


def unsubscribe_token(user: User) -> str:
    """A signed, non-expiring token naming the member, for one-click unsubscribe links."""
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=False)


def user_for_unsubscribe_token(token: str) -> User | None:
    """The member a token names, or None for a tampered, mangled or stale token."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return User.objects.filter(pk=data["u"]).first()


def unsubscribe_url(user: User) -> str:
    return absolute(reverse("forum:unsubscribe", kwargs={"token": unsubscribe_token(user)}))


# --- Describing a notification (list page and emails) -------------------------------------


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


EVENT_PHRASES = {
    ThreadEvent.Kind.SOLVED: "{actor} marked {title} solved",
    ThreadEvent.Kind.NOT_YET: "{actor} said {title} still needs help",
    ThreadEvent.Kind.UNACCEPTED: "{actor} unaccepted the answer in {title}",
    ThreadEvent.Kind.OFFICIAL: "{actor} marked an official answer in {title}",
    ThreadEvent.Kind.ACCEPTED: "{actor} accepted an answer in {title}",
}


def summary(notification: Notification) -> str:
    """Who did what where, in one plain sentence. Needs ``actor``, ``thread`` (with its
    board) and ``event`` loaded (the selectors and email queries select them)."""
    actor = notification.actor.public_name if notification.actor_id else "Someone"
    title = f"“{notification.thread.title}”" if notification.thread_id else ""
    kind = notification.kind
    if kind == Kind.REPLY:
        return f"{actor} replied in {title}"
    if kind == Kind.NEW_THREAD:
        return f"{actor} started {title} in {notification.thread.board.name}"
    if kind == Kind.MENTION:
        return f"{actor} mentioned you in {title}"
    if kind == Kind.STAFF_REPLY:
        return f"{actor} from staff replied to your question {title}"
    if kind == Kind.KEYWORD:
        return f"{actor} posted in {title}, matching your keyword watch “{notification.text}”"
    if kind == Kind.ACCEPTED:
        return f"{actor} accepted your answer in {title}"
    if kind == Kind.STATUS:
        event_kind = notification.event.kind if notification.event_id else ThreadEvent.Kind.STATUS
        if event_kind in EVENT_PHRASES:
            return EVENT_PHRASES[event_kind].format(actor=actor, title=title)
        return f"{actor} set {title} to {notification.text}"
    if kind == Kind.CONTACT:
        sender = notification.actor.public_name if notification.actor_id else "A visitor"
        return f"{sender} sent a contact message — {notification.text}"
    return str(notification.get_kind_display())


def excerpt(notification: Notification, *, viewer: User | None = None) -> str:
    """The start of the post's text — or, for a status change, its reason — or "" when
    the post is hidden (moderators viewing their own list still see it) or there is
    nothing to quote."""
    if notification.event_id and not notification.post_id:
        return Truncator(" ".join(notification.event.reason.split())).chars(EXCERPT_CHARS)
    post = notification.post if notification.post_id else None
    if post is None:
        return ""
    if post.is_hidden and not (viewer is not None and viewer.is_moderator):
        return ""
    # The rendered text, not the Markdown source: "**CSV**" reads as "CSV".
    text = html.unescape(strip_tags(post.body_html))
    return Truncator(" ".join(text.split())).chars(EXCERPT_CHARS)


def target_path(notification: Notification) -> str:
    """Where the notification leads: the post; for an event, its post (an accepted
    answer) or its line in the thread; else the thread; else the contact inbox."""
    post_id = notification.post_id or (
        notification.event.post_id if notification.event_id else None
    )
    if post_id:
        return reverse("forum:post-permalink", kwargs={"post_id": post_id})
    if notification.thread_id:
        url = reverse("forum:thread-detail", kwargs={"thread_id": notification.thread_id})
        return f"{url}#event-{notification.event_id}" if notification.event_id else url
    if notification.kind == Kind.CONTACT:
        return reverse("forum:contact-inbox")
    return reverse("forum:notifications")


# --- Email ---------------------------------------------------------------------------------


def _deliverable(queryset):
    """Notifications still worth emailing: not emailed, not read, not about a hidden post
    or in a hidden thread,
    not a kind emailed elsewhere, to an active member with an address."""
    return (
        queryset.filter(emailed_at__isnull=True, read_at__isnull=True, kind__in=EMAILED_KINDS)
        .filter(Q(post__isnull=True) | Q(post__is_hidden=False))
        .filter(Q(event__post__isnull=True) | Q(event__post__is_hidden=False))
        .filter(Q(thread__isnull=True) | Q(thread__is_hidden=False))
        .filter(recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient", "actor", "thread__board", "post", "event")
    )


def _message(*, user: User, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(user)
    context = {
        **context,
        "user": user,
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL.rstrip("/"),
        "unsubscribe_url": unsubscribe,
        "settings_url": absolute(reverse("forum:notification-settings")),
        "notifications_url": absolute(reverse("forum:notifications")),
    }
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=render_to_string(f"forum/email/{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string(f"forum/email/{template}.html", context), "text/html"
    )
    return message


def _email_item(notification: Notification) -> dict:
    return {
        "summary": summary(notification),
        "excerpt": excerpt(notification),
        "url": absolute(target_path(notification)),
        "created_at": notification.created_at,
    }


@transaction.atomic
def email_send_immediate(*, notification_ids: list[int]) -> int:
    """Queue in the outbox one email per notification, if it is still worth it now: not
    yet emailed or read, its post not hidden since, and the member still wants immediate
    emails. The notifications are locked and ``emailed_at`` is set in the same
    transaction, so running this twice emails each once. Delivery and its retries belong
    to the outbox. Returns how many were queued."""
    locked = _lock_unemailed(Notification.objects.filter(pk__in=notification_ids))
    pending = _deliverable(Notification.objects.filter(pk__in=locked)).filter(
        recipient__email_frequency=Frequency.IMMEDIATELY
    )
    queued = 0
    now = timezone.now()
    for notification in pending.order_by("pk"):
        item = _email_item(notification)
        message = _message(
            user=notification.recipient,
            subject=Truncator(item["summary"]).chars(150),
            template="notification",
            context={"item": item, "notification": notification},
        )
        row = email_enqueue(message=message, kind="notification")
        Notification.objects.filter(pk=notification.pk).update(emailed_at=now, email=row)
        queued += 1
    return queued


@transaction.atomic
def email_send_digest(*, user_id: int) -> int:
    """Queue in the outbox one email listing the member's unread notifications of the last
    day that no email has carried yet (hidden posts left out), if they still want a daily
    digest; marks them emailed in the same transaction (locked, so a second run finds
    nothing). Returns how many it listed (0: nothing queued)."""
    user = User.objects.filter(pk=user_id, email_frequency=Frequency.DAILY).first()
    if user is None:
        return 0
    since = timezone.now() - DIGEST_WINDOW
    locked = _lock_unemailed(Notification.objects.filter(recipient=user, created_at__gte=since))
    notifications = list(
        _deliverable(Notification.objects.filter(pk__in=locked)).order_by("created_at", "pk")
    )
    if not notifications:
        return 0
    count = len(notifications)
    message = _message(
        user=user,
        subject=f"{count} new notification{'s' if count != 1 else ''} today",
        template="digest",
        context={"items": [_email_item(n) for n in notifications], "count": count},
    )
    row = email_enqueue(message=message, kind="digest")
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        emailed_at=timezone.now(), email=row
    )
    return count


@transaction.atomic
def emails_withdraw_for_hidden(*, post_ids, thread_ids) -> int:
    """Take back the emails not delivered yet that tell about these posts, or anything in
    these threads, now hidden by moderators (spam): a notification email queued during a
    mail server outage, or a digest listing one. Their notifications become unemailed
    again, so a restore sends them as if new (``send_digests --retry-only``) and a
    digest's other notifications go out at once in a fresh digest without the hidden one.
    Returns how many emails were taken back."""
    from accounts.mail import email_withdraw

    unsent = [OutboundEmail.Status.QUEUED, OutboundEmail.Status.DEAD]
    email_ids = set(
        Notification.objects.filter(
            Q(post_id__in=list(post_ids)) | Q(thread_id__in=list(thread_ids)),
            email__status__in=unsent,
        ).values_list("email_id", flat=True)
    )
    if not email_ids:
        return 0
    # Read before the rows go: deleting an email empties its notifications' link.
    carried = list(
        Notification.objects.filter(email_id__in=email_ids).values_list(
            "pk", "email_id", "recipient__email_frequency", "recipient_id"
        )
    )
    withdrawn = set(email_withdraw(email_ids=email_ids))
    carried = [row for row in carried if row[1] in withdrawn]
    Notification.objects.filter(pk__in=[row[0] for row in carried]).update(
        emailed_at=None, email=None
    )
    digest_users = {row[3] for row in carried if row[2] == Frequency.DAILY}
    for user_id in sorted(digest_users):
        email_send_digest(user_id=user_id)
    return len(withdrawn)


def _lock_unemailed(queryset) -> list[int]:
    """Lock the notifications not yet emailed (a concurrent run of the same task waits,
    then finds them emailed) and return their ids. Locks only the notification rows."""
    return list(
        queryset.select_for_update()
        .filter(emailed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def digest_recipient_ids() -> list[int]:
    """Members on the daily digest with something to tell them."""
    since = timezone.now() - DIGEST_WINDOW
    return list(
        _deliverable(
            Notification.objects.filter(
                created_at__gte=since, recipient__email_frequency=Frequency.DAILY
            )
        )
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def unsent_immediate_ids() -> list[int]:
    """Immediate emails of the last day that should have gone out but have not (their
    task failed, or was never queued)."""
    now = timezone.now()
    return list(
        _deliverable(
            Notification.objects.filter(
                created_at__gte=now - DIGEST_WINDOW,
                created_at__lte=now - RETRY_AFTER,
                recipient__email_frequency=Frequency.IMMEDIATELY,
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
