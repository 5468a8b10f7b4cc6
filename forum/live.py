"""Server-rendered fragments for live updates, shared by the consumer and the HTTP
catch-up endpoints, so a post looks the same however it reaches the page.

A post is rendered once per *viewer kind* — visitor, member, moderator — because that is
all that changes what a reader may see of it: hidden content goes to moderators only.
Renders are cached per process by (post, version, viewer kind, language), so a reply
pushed to 500 open copies of a thread is rendered at most three times per worker and
language.
"""

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import parse_cookie
from django.template.loader import render_to_string
from django.utils import translation

from forum.models import Post

VISITOR, MEMBER, MODERATOR = "visitor", "member", "moderator"


@dataclass(frozen=True)
class _Reader:
    """Stands in for "some member who is not the author" when rendering a shared copy."""

    is_moderator: bool
    pk: int = -1
    is_authenticated: bool = True
    is_employee: bool = False


_READERS = {
    VISITOR: AnonymousUser(),
    MEMBER: _Reader(is_moderator=False),
    MODERATOR: _Reader(is_moderator=True),
}


def viewer_kind(user) -> str:
    if not getattr(user, "is_authenticated", False):
        return VISITOR
    return MODERATOR if user.is_moderator else MEMBER


@dataclass(frozen=True)
class _HeadersOnly:
    COOKIES: dict
    META: dict


def viewer_language(user, headers) -> str:
    """The language a socket's pages are in, chosen as for the page itself: the member's
    own setting, else the language cookie, else the browser's Accept-Language."""
    chosen = getattr(user, "language", "") if getattr(user, "is_authenticated", False) else ""
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    found = dict(headers or ())
    request = _HeadersOnly(
        COOKIES=parse_cookie(found.get(b"cookie", b"").decode("latin-1")),
        META={"HTTP_ACCEPT_LANGUAGE": found.get(b"accept-language", b"").decode("latin-1")},
    )
    return translation.get_language_from_request(request)


class _LRU:
    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = Lock()

    def get(self, key):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


_fragments = _LRU(2048)


def render_post(post: Post, kind: str, language: str = "") -> str:
    """The post's <article> as the given kind of viewer sees it (no per-user links)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return render_to_string(
            "forum/_post.html", {"post": post, "user": _READERS[kind], "viewer_blocked": False}
        )


def cached_post_fragment(
    *, post_id: int, version: str, kind: str, language: str = ""
) -> str | None:
    """The render post_fragment keeps, if there is one; no database, so safe to call from
    the event loop. None means "ask post_fragment", not "nothing to show"."""
    return _fragments.get((post_id, version, kind, language))


def post_fragment(*, post_id: int, version: str, kind: str, language: str = "") -> str | None:
    """Cached render for a pushed event; None if the post no longer exists, or if it is a
    visible post in a thread moderators hid (spam) and the viewer is not a moderator: open
    copies of that thread get only the placeholders that take its content away."""
    key = (post_id, version, kind, language)
    html = _fragments.get(key)
    if html is None:
        post = Post.objects.select_related("author", "thread").filter(pk=post_id).first()
        if post is None:
            return None
        if post.thread.is_hidden and not post.is_hidden and kind != MODERATOR:
            return None
        html = render_post(post, kind, language)
        _fragments.put(key, html)
    return html
