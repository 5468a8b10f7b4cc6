"""RSS 2.0 and Atom feeds (django.contrib.syndication).

Every feed lists posts, newest first — opening posts and replies alike, so a board's feed
shows new threads and the conversation in them:

- a board: its latest posts (``/b/<slug>/feed/rss/``, ``…/atom/``);
- a thread: its latest posts (``/t/<id>/feed/…``);
- a member: their latest posts (``/feeds/u/<username>/…`` — ``/u/`` is the accounts app's);
- a search: the newest posts matching ``/search/``'s query and filters
  (``/search/feed/…?q=…``).
- the whole site: the newest threads on every board, as their opening posts
  (``/feed/rss/``, ``/feed/atom/``; the front page links it for autodiscovery).

Hidden posts are never included (feed readers carry no session, so feeds are the same
for everyone). Items: the thread title ("Re: …" for a reply), the post's permalink
(absolute, from the request), its stored sanitised HTML as the description, the author's
public name, published and updated times, and the permalink as the unique id.
"""

import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext

from accounts.selectors import user_get_public
from forum import selectors
from forum.forms import SearchForm
from forum.models import Post
from forum.search import ORDER_NEWEST, search_queryset
from forum.selectors.feeds import feed_posts

FEED_ITEMS = 30


def _xml_safe(value):
    """``value`` without the control characters XML 1.0 cannot carry (a search's own words
    echoed in its description, a stored title), which would fail the whole feed."""
    if isinstance(value, str):
        return _NOT_IN_XML.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(item) for item in value)
    return value


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _PostFeed(Feed):
    """What every feed's items look like."""

    feed_type = Rss201rev2Feed

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed = {key: _xml_safe(value) for key, value in feed.feed.items()}
        feed.items = [{key: _xml_safe(value) for key, value in item.items()} for item in feed.items]
        return feed

    def item_title(self, post: Post) -> str:
        title = post.thread.title
        return title if post.position == 1 else f"Re: {title}"

    def item_description(self, post: Post) -> str:
        return post.body_html  # sanitised by forum.markup when it was stored

    def item_link(self, post: Post) -> str:
        return post.get_absolute_url()

    def item_author_name(self, post: Post) -> str:
        return post.author.public_name

    def item_author_link(self, post: Post) -> str:
        return post.author.get_absolute_url()

    def item_pubdate(self, post: Post):
        return post.created_at

    def item_updateddate(self, post: Post):
        return post.edited_at or post.created_at

    def item_categories(self, post: Post) -> list[str]:
        return [post.thread.board.name]


class _AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


# --- The whole site ----------------------------------------------------------------------


class LatestThreadsFeed(_PostFeed):
    def title(self) -> str:
        return gettext("Latest threads · %(site)s") % {"site": settings.SITE_NAME}

    def link(self) -> str:
        return reverse("forum:board-index")

    def description(self) -> str:
        return gettext("The newest threads on every board.")

    def items(self):
        return feed_posts(opening_only=True, limit=FEED_ITEMS)


class LatestThreadsAtomFeed(_AtomMixin, LatestThreadsFeed):
    def subtitle(self):
        return self.description()


# --- Boards -------------------------------------------------------------------------------


class BoardPostsFeed(_PostFeed):
    def get_object(self, request, board_slug: str):
        return selectors.board_get(slug=board_slug)

    def title(self, board) -> str:
        return f"{board.name} · {settings.SITE_NAME}"

    def link(self, board) -> str:
        return board.get_absolute_url()

    def description(self, board) -> str:
        return gettext("The latest posts on the %(name)s board: new threads and replies.") % {
            "name": board.name
        }

    def items(self, board):
        return feed_posts(board=board, limit=FEED_ITEMS)


class BoardPostsAtomFeed(_AtomMixin, BoardPostsFeed):
    pass


# --- Threads ------------------------------------------------------------------------------


class ThreadPostsFeed(_PostFeed):
    def get_object(self, request, thread_id: int):
        # As a feed reader sees it (no session): a hidden thread is not found.
        return selectors.thread_get_for_user(user=AnonymousUser(), thread_id=thread_id)

    def title(self, thread) -> str:
        return f"{thread.title} · {settings.SITE_NAME}"

    def link(self, thread) -> str:
        return thread.get_absolute_url()

    def description(self, thread) -> str:
        return gettext("The latest posts in “%(title)s” on the %(name)s board.") % {
            "title": thread.title,
            "name": thread.board.name,
        }

    def items(self, thread):
        return feed_posts(thread=thread, limit=FEED_ITEMS)


class ThreadPostsAtomFeed(_AtomMixin, ThreadPostsFeed):
    pass


# --- Members ------------------------------------------------------------------------------


class MemberPostsFeed(_PostFeed):
    def get_object(self, request, username: str):
        return user_get_public(username=username)

    def title(self, member) -> str:
        return f"Posts by {member.public_name} · {settings.SITE_NAME}"

    def link(self, member) -> str:
        return member.get_absolute_url()

    def description(self, member) -> str:
        return gettext("The latest posts by %(public_name)s.") % {"public_name": member.public_name}

    def items(self, member):
        return feed_posts(author=member, limit=FEED_ITEMS)


class MemberPostsAtomFeed(_AtomMixin, MemberPostsFeed):
    pass


# --- Searches -----------------------------------------------------------------------------


class SearchPostsFeed(_PostFeed):
    """The newest posts matching a search, with the search page's filters. A query the
    page would refuse (empty, too long, bad filters) gives an empty feed that says why."""

    def get_object(self, request):
        form = SearchForm(request.GET)
        return {
            "form": form,
            "valid": form.is_valid(),
            "link": reverse("forum:search") + "?" + request.GET.urlencode(),
        }

    def title(self, obj) -> str:
        query = obj["form"].cleaned_data.get("q") if obj["valid"] else ""
        what = f"Search: {query}" if query else "Search"
        return f"{what} · {settings.SITE_NAME}"

    def link(self, obj) -> str:
        return obj["link"]

    def description(self, obj) -> str:
        if not obj["valid"]:
            problems = " ".join(error for errors in obj["form"].errors.values() for error in errors)
            return gettext("This search can't run: %(problems)s") % {"problems": problems}
        return "The newest posts matching this search."

    def items(self, obj):
        if not obj["valid"]:
            return []
        try:
            posts = search_queryset(
                user=AnonymousUser(), order=ORDER_NEWEST, **obj["form"].search_arguments()
            )
        except ValidationError:
            return []
        # The page shows snippets, a feed the whole post: load the stored HTML too.
        return list(posts.defer(None).defer("search_vector")[:FEED_ITEMS])


class SearchPostsAtomFeed(_AtomMixin, SearchPostsFeed):
    pass
