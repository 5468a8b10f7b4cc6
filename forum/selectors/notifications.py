"""Reads for notifications and watching: a member's notification list, one notification,
the unread count, how a notification reads (its summary, excerpt and link, on the list
page and in emails), which notifications are still worth emailing, the member an
unsubscribe link names, and the watch levels shown on threads and boards."""

import html
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from forum.models import Board, Notification, Thread, ThreadEvent, Watch

Kind = Notification.Kind
Frequency = User.EmailFrequency

NOTIFICATIONS_PER_PAGE = getattr(settings, "FORUM_NOTIFICATIONS_PER_PAGE", 25)

UNSUBSCRIBE_SALT = "forum.notifications.unsubscribe"
# Contact messages are emailed to staff by forum.services.contact's own task; in-app only.
# "Heating up" points staff at the temperature page; it is news now or not at all.
EMAILED_KINDS = tuple(k for k in Kind.values if k not in (Kind.CONTACT, Kind.HEATING_UP))
# An immediate email not handed to the outbox after this long had its task lost or failed
# (e.g. the database was away); ``send_digests --retry-only`` queues it again (the task
# normally runs within seconds).
RETRY_AFTER = timedelta(minutes=10)
DIGEST_WINDOW = timedelta(days=1)
EXCERPT_CHARS = 200

# A notification about a post or thread moderators hid (spam above all) is gone from the
# list and the bell: its summary would name the spammer and repeat the thread's title. It
# comes back if moderators restore the post.
ABOUT_PUBLIC = (Q(thread__isnull=True) | Q(thread__is_hidden=False)) & (
    Q(post__isnull=True) | Q(post__is_hidden=False)
)


def notification_page_for_user(*, user, page_number) -> Page:
    """One page of the member's notifications, newest first, with everything the list
    shows (actor, thread and board, post). Two queries: the count and the page."""
    notifications = Notification.objects.filter(ABOUT_PUBLIC, recipient=user).select_related(
        "actor", "thread__board", "post", "event"
    )
    return Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(page_number)


def notification_get_for_user(*, user, notification_id: int) -> Notification:
    """The member's own notification, or 404 for both missing and someone else's."""
    return get_object_or_404(Notification, pk=notification_id, recipient=user)


def unread_notification_count(*, user) -> int:
    """Unread notifications the member can read: none about a hidden post or thread."""
    return Notification.objects.filter(ABOUT_PUBLIC, recipient=user, read_at__isnull=True).count()


def unread_notification_counts(*, user_ids) -> dict[int, int]:
    """``unread_notification_count`` for each of these members, in one query (a member
    with none is 0)."""
    rows = (
        Notification.objects.filter(ABOUT_PUBLIC, recipient_id__in=user_ids, read_at__isnull=True)
        .order_by()
        .values_list("recipient_id")
        .annotate(n=Count("pk"))
    )
    return dict.fromkeys(user_ids, 0) | dict(rows)


def watch_levels_for_thread(*, user, thread: Thread) -> dict:
    """The member's chosen level for the thread ("" when none) and for its board, and
    the level in effect (a watched board makes its threads watched unless the member
    chose otherwise for the thread). One query; none for visitors."""
    thread_level = board_level = ""
    if user.is_authenticated:
        rows = Watch.objects.filter(user=user).filter(
            Q(thread_id=thread.pk) | Q(board_id=thread.board_id)
        )
        for thread_id, level in rows.values_list("thread_id", "level"):
            if thread_id is None:
                board_level = level
            else:
                thread_level = level
    effective = thread_level or (
        Watch.Level.WATCHING if board_level == Watch.Level.WATCHING else Watch.Level.NORMAL
    )
    return {"thread": thread_level, "board": board_level, "effective": effective}


def watch_level_for_board(*, user, board: Board) -> str:
    """The member's level for the board ("normal" when they never chose). One query."""
    if not user.is_authenticated:
        return Watch.Level.NORMAL
    level = Watch.objects.filter(user=user, board=board).values_list("level", flat=True).first()
    return level or Watch.Level.NORMAL


# --- Unsubscribe links -------------------------------------------------------------------


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


# --- Describing a notification (list page and emails) -------------------------------------


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


EVENT_PHRASES = {
    ThreadEvent.Kind.SOLVED: _("{actor} marked {title} solved"),
    ThreadEvent.Kind.NOT_YET: _("{actor} said {title} still needs help"),
    ThreadEvent.Kind.UNACCEPTED: _("{actor} unaccepted the answer in {title}"),
    ThreadEvent.Kind.OFFICIAL: _("{actor} marked an official answer in {title}"),
    ThreadEvent.Kind.ACCEPTED: _("{actor} accepted an answer in {title}"),
}


def summary(notification: Notification) -> str:
    """Who did what where, in one plain sentence. Needs ``actor``, ``thread`` (with its
    board) and ``event`` loaded (the selectors and email queries select them)."""
    actor = notification.actor.public_name if notification.actor_id else "Someone"
    title = (
        gettext("“%(title)s”") % {"title": notification.thread.title}
        if notification.thread_id
        else ""
    )
    kind = notification.kind
    if kind == Kind.REPLY:
        return gettext("%(actor)s replied in %(title)s") % {"actor": actor, "title": title}
    if kind == Kind.NEW_THREAD:
        return gettext("%(actor)s started %(title)s in %(name)s") % {
            "actor": actor,
            "title": title,
            "name": notification.thread.board.name,
        }
    if kind == Kind.MENTION:
        return gettext("%(actor)s mentioned you in %(title)s") % {"actor": actor, "title": title}
    if kind == Kind.STAFF_REPLY:
        return gettext("%(actor)s from staff replied to your question %(title)s") % {
            "actor": actor,
            "title": title,
        }
    if kind == Kind.KEYWORD:
        return gettext("%(actor)s posted in %(title)s, matching your keyword watch “%(text)s”") % {
            "actor": actor,
            "title": title,
            "text": notification.text,
        }
    if kind == Kind.ACCEPTED:
        return gettext("%(actor)s accepted your answer in %(title)s") % {
            "actor": actor,
            "title": title,
        }
    if kind == Kind.STATUS:
        event_kind = notification.event.kind if notification.event_id else ThreadEvent.Kind.STATUS
        if event_kind in EVENT_PHRASES:
            return str(EVENT_PHRASES[event_kind]).format(actor=actor, title=title)
        return gettext("%(actor)s set %(title)s to %(text)s") % {
            "actor": actor,
            "title": title,
            "text": notification.text,
        }
    if kind == Kind.ASSIGNED:
        return gettext("%(actor)s assigned %(title)s to you") % {"actor": actor, "title": title}
    if kind == Kind.HEATING_UP:
        return gettext("%(board)s is heating up: far more activity or flags than usual") % {
            "board": notification.text
        }
    if kind == Kind.CONTACT:
        sender = notification.actor.public_name if notification.actor_id else gettext("A visitor")
        return gettext("%(sender)s sent a contact message — %(text)s") % {
            "sender": sender,
            "text": notification.text,
        }
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
    if notification.kind == Kind.HEATING_UP:
        return reverse("forum:staff-temperature")
    return reverse("forum:notifications")


# --- What is still worth emailing --------------------------------------------------------


def deliverable_notifications(queryset):
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


def digest_recipient_ids() -> list[int]:
    """Members on the daily digest with something to tell them."""
    since = timezone.now() - DIGEST_WINDOW
    return list(
        deliverable_notifications(
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
        deliverable_notifications(
            Notification.objects.filter(
                created_at__gte=now - DIGEST_WINDOW,
                created_at__lte=now - RETRY_AFTER,
                recipient__email_frequency=Frequency.IMMEDIATELY,
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
