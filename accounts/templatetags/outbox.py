from django import template
from django.urls import reverse

from accounts.mail import dead_email_count

register = template.Library()


@register.inclusion_tag("admin/outbox_dead_notice.html")
def dead_email_notice() -> dict:
    """How many emails gave up, linking to them; nothing when there are none. One count
    query, on the admin index only."""
    url = reverse("admin:accounts_outboundemail_changelist") + "?status__exact=dead"
    return {"dead_count": dead_email_count(), "dead_url": url}
