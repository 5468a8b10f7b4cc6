"""What the RSS and Atom feeds list: public posts, newest first, with what an item shows
(thread, board, author) and without the columns it never reads."""

from django.db.models import QuerySet

from forum.models import Post
from forum.selectors.visibility import public_posts


def feed_posts(
    *, limit: int, board=None, thread=None, author=None, opening_only: bool = False
) -> list[Post]:
    """The newest ``limit`` public posts of a board, a thread or a member, or of the whole
    site; ``opening_only`` keeps the posts that opened their thread (hidden posts never:
    feed readers carry no session, so feeds are the same for everyone)."""
    posts: QuerySet[Post] = (
        public_posts()
        .select_related("thread__board", "author")
        .defer("body", "search_vector")
        .order_by("-created_at", "-pk")
    )
    if board is not None:
        posts = posts.filter(thread__board=board)
    if thread is not None:
        posts = posts.filter(thread=thread)
    if author is not None:
        posts = posts.filter(author=author)
    if opening_only:
        posts = posts.filter(position=1)
    return list(posts[:limit])
