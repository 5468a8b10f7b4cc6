"""Reads for the staff contact inbox (/staff/contact/)."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.shortcuts import get_object_or_404

from forum.models import ContactMessage

INBOX_PER_PAGE = 25


def contact_inbox_page(*, topic: str = "", page_number=None) -> Page:
    """Unhandled messages first (newest first), then handled ones (newest first), with
    sender and handler loaded; ``topic`` (a ContactMessage.Topic value) narrows it."""
    messages = ContactMessage.objects.select_related("user", "handled_by").annotate(
        is_handled=ExpressionWrapper(Q(handled_at__isnull=False), output_field=BooleanField())
    )
    if topic:
        messages = messages.filter(topic=topic)
    messages = messages.order_by("is_handled", "-created_at", "-pk")
    per_page = getattr(settings, "FORUM_CONTACT_PER_PAGE", INBOX_PER_PAGE)
    return Paginator(messages, per_page).get_page(page_number)


def contact_open_counts() -> dict[str, int]:
    """Unhandled messages per topic (every topic present, zeros included) and ``all``."""
    rows = (
        ContactMessage.objects.filter(handled_at__isnull=True)
        .values("topic")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(ContactMessage.Topic.values, 0)
    counts.update({row["topic"]: row["n"] for row in rows})
    counts["all"] = sum(counts.values())
    return counts


def contact_message_get(*, message_id: int) -> ContactMessage:
    return get_object_or_404(
        ContactMessage.objects.select_related("user", "handled_by"), pk=message_id
    )
