"""Keeping the search index current on write (issue 5). OWNER: helper C. PLACEHOLDER.
PostgreSQL: Post.search_vector (GIN index); SQLite: an FTS5 table when available."""

from forum.models import Post, Thread


def index_post(*, post: Post, thread: Thread) -> None:
    """(Re)index one post; the opening post carries its thread's title."""
    return None
