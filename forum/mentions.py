"""@mentions: which members a post names.

A mention is ``@username`` (Django's username characters: letters, digits and @ . + - _)
at the start of a line or after a space or punctuation, outside code spans, code blocks and
links — exactly where ``forum.markup.render_markdown`` links it, because both read the same
rendered text. Usernames match case-insensitively; one post names at most
``MENTIONS_MAX`` members, so a single post cannot notify the whole forum.

``mentioned_users`` is what notifications use (forum.services.notifications);
``mention_links`` is what the renderer uses. Each costs one query, none without a mention.
"""

from django.db.models.functions import Lower

from accounts.models import User
from forum.markup import MENTIONS_MAX, mention_candidates

__all__ = ["MENTIONS_MAX", "mention_links", "mentioned_usernames", "mentioned_users"]


def mentioned_usernames(body: str) -> list[str]:
    """The @names in a post's Markdown source, as written, in order of first appearance,
    without duplicates (case-insensitively) and at most ``MENTIONS_MAX``. Pure: whether
    such members exist is not checked."""
    return mention_candidates(body)


def _members_named(names: list[str]) -> dict[str, User]:
    """Lower-cased name → active member with that username (case-insensitively), for the
    names that have one; one query. Where two accounts differ only by case, the exact
    spelling wins, else the older account."""
    if not names:
        return {}
    wanted = {name.lower() for name in names}
    rows = (
        User.objects.filter(is_active=True)
        .annotate(username_lower=Lower("username"))
        .filter(username_lower__in=wanted)
        .order_by("pk")
    )
    spelled = set(names)
    found: dict[str, User] = {}
    for user in rows:
        key = user.username.lower()
        if key not in found or (user.username in spelled and found[key].username not in spelled):
            found[key] = user
    return found


def mentioned_users(body: str) -> list[User]:
    """The active members a post mentions, in order of first mention, each once; one query
    (none when the post mentions nobody)."""
    names = mentioned_usernames(body)
    found = _members_named(names)
    return [found[name.lower()] for name in names if name.lower() in found]


def mention_links(names: list[str]) -> dict[str, str]:
    """Lower-cased username → profile URL for the active members among ``names``; one query.
    The renderer's lookup (``forum.markup.render_markdown(source)`` without ``mentions``)."""
    return {key: user.get_absolute_url() for key, user in _members_named(names).items()}
