"""@mentions: which members a post names.

A mention is ``@username`` (Django's username characters: letters, digits and @ . + - _)
at the start of a line or after a space or punctuation, outside code spans, code blocks and
links — exactly where ``forum.markup.render_markdown`` links it, because both read the same
rendered text. Usernames match case-insensitively; one post names at most
``MENTIONS_MAX`` members, so a single post cannot notify the whole forum.

``mentioned_users`` is what notifications use (forum.services.notifications);
``mention_links`` (``forum.markup.members``) is what the renderer uses. Each costs one
query, none without a mention.
"""

from accounts.models import User
from forum.markup import MENTIONS_MAX, mention_candidates
from forum.markup.members import members_named, mention_links

__all__ = ["MENTIONS_MAX", "mention_links", "mentioned_usernames", "mentioned_users"]


def mentioned_usernames(body: str) -> list[str]:
    """The @names in a post's Markdown source, as written, in order of first appearance,
    without duplicates (case-insensitively) and at most ``MENTIONS_MAX``. Pure: whether
    such members exist is not checked."""
    return mention_candidates(body)


def mentioned_users(body: str) -> list[User]:
    """The active members a post mentions, in order of first mention, each once; one query
    (none when the post mentions nobody)."""
    names = mentioned_usernames(body)
    found = members_named(names)
    return [found[name.lower()] for name in names if name.lower() in found]
