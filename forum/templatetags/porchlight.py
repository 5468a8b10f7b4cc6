import re

from django import template
from django.conf import settings
from django.urls import Resolver404, get_script_prefix, get_urlconf, resolve, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from forum.dates import time_ago, time_elapsed

register = template.Library()

_SITE_PATH = re.compile(
    r"(?P<lead>you can appeal at )?(?<![\w/])(?P<path>/[a-z0-9][a-z0-9\-/]*/)(?=[\s.,;:!?)]|$)"
)
# Links read as what they do, not as a path: "If you think this is a mistake, appeal this
# block." The plain text keeps the path, for JSON answers and emails.
_PATH_WORDS = {"moderation:appeal-create": "appeal this {kind}"}


def _path_words(path: str, text: str) -> str | None:
    try:
        words = _PATH_WORDS.get(resolve(path).view_name)
    except Resolver404:
        return None
    said = text.lower()
    if "banned" in said:
        kind = "ban"
    elif "blocked from posting" in said:
        kind = "block"
    else:
        kind = "decision"
    return words and words.format(kind=kind)


@register.filter
def link_paths(text: str) -> str:
    """Escape a plain-text message and turn the site paths in it (e.g. an appeal link in a
    refusal) into links, worded where the path has words, so one sentence serves both 403
    pages and inline notices."""
    escaped = escape(str(text))

    def link(match) -> str:
        path = match["path"]
        words = _path_words(path, escaped)
        if words:
            return f'<a href="{path}">{words}</a>'
        return f'{match["lead"] or ""}<a href="{path}">{path}</a>'

    return mark_safe(_SITE_PATH.sub(link, escaped))  # noqa: S308 - escaped above


_URL = re.compile(r"\bhttps?://[^\s<>\"']*[^\s<>\"'.,;:!?)]")


@register.filter
def link_urls(text: str) -> str:
    """Escape a plain-text message and link its web addresses: this site's by what they do
    where they have words ("appeal this decision"), others spelled out and nofollow, as
    ``urlize`` would. For messages whose emailed copy needs the address itself."""
    text = str(text)
    site = settings.SITE_URL.rstrip("/")
    parts, last = [], 0
    for match in _URL.finditer(text):
        url = match[0]
        parts.append(escape(text[last : match.start()]))
        last = match.end()
        words = _path_words(url[len(site) :], text) if url.startswith(site + "/") else None
        if words:
            parts.append(f'<a href="{escape(url[len(site) :])}">{words}</a>')
        else:
            parts.append(f'<a href="{escape(url)}" rel="nofollow">{escape(url)}</a>')
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped


# Addresses without arguments, by name, script prefix and URLconf: they never change while
# the process runs, and every page header prints about twenty of them.
_FIXED_URLS: dict[tuple, str] = {}


@register.simple_tag
def fixed_url(name: str) -> str:
    """``{% fixed_url 'forum:help' %}``: what ``{% url 'forum:help' %}`` prints, for a
    URL that takes no arguments, reversed once per process."""
    key = (name, get_script_prefix(), get_urlconf())
    found = _FIXED_URLS.get(key)
    if found is None:
        found = _FIXED_URLS[key] = reverse(name)
    return found


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
