import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from forum.dates import time_ago, time_elapsed

register = template.Library()

_SITE_PATH = re.compile(r"(?<![\w/])(/[a-z0-9][a-z0-9\-/]*/)(?=[\s.,;:!?)]|$)")


@register.filter
def link_paths(text: str) -> str:
    """Escape a plain-text message and turn the site paths in it (e.g. an appeal link in a
    refusal) into links, so one sentence serves both 403 pages and inline notices."""
    escaped = escape(str(text))
    return mark_safe(_SITE_PATH.sub(r'<a href="\1">\1</a>', escaped))  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """The current URL with ``page`` set to ``number``, keeping every filter in the query."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.filter
def ago(value) -> str:
    """``{{ post.created_at|ago }}``: "5 minutes ago", or "just now" under a minute."""
    return time_ago(value) if value else ""


@register.filter
def age(value) -> str:
    """``{{ item.created_at|age }}`` for an Age column: "2 days", or "just now"."""
    return time_elapsed(value) if value else ""
