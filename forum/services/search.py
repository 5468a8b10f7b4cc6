"""Keeping the search index current on write.

``forum.services.posts`` (a new post and an edit) calls :func:`index_post` inside the post's
transaction, so the index changes (or rolls back) with the post itself.

PostgreSQL — ``Post.search_vector``, searched through a GIN index (migration 0006):

- The text is accent-folded in Python first (``forum.search.fold_text``: "Café" → "Cafe"),
  so accents never decide a match and no database extension (unaccent) is needed.
- Each text is indexed twice: with the ``english`` configuration (stemming, so "crashes"
  finds "crash"; English stop words dropped) and with ``simple`` (every word as written,
  stop words kept), so "don't", "the printer" and words in other languages ("ошибка")
  still match as written. The query side asks both (``forum.search``).
- The opening post carries its thread's title with weight A, bodies weight B, so a title
  match ranks above a mention in a body.

SQLite — an FTS5 table ``forum_post_fts(rowid = post id, title, body)`` with the
``porter unicode61 remove_diacritics 2`` tokenizer (stemming, case and accent folding),
when the SQLite library has FTS5; otherwise nothing is indexed and search falls back to
``icontains``.

Hidden posts stay indexed: moderators may search them; the query filters them out for
everyone else.
"""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connections, transaction
from django.db.models import Value

from forum.models import Post, Thread
from forum.search import FTS_TABLE, fold_text, sqlite_fts_ready

# Constant SQL (the table name is ours); the post's text is always a parameter.
_FTS_DELETE = f"DELETE FROM {FTS_TABLE} WHERE rowid = %s"  # noqa: S608
_FTS_INSERT = f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)"  # noqa: S608


def search_vector(*, title: str, body: str) -> SearchVector:
    """The tsvector expression for a post (see the module docstring)."""
    title, body = fold_text(title), fold_text(body)
    return (
        SearchVector(Value(title), config="english", weight="A")
        + SearchVector(Value(title), config="simple", weight="A")
        + SearchVector(Value(body), config="english", weight="B")
        + SearchVector(Value(body), config="simple", weight="B")
    )


def new_post_vector(*, title: str, body: str, using: str = "default") -> SearchVector | None:
    """On PostgreSQL, the ``search_vector`` a new post is inserted with (its thread's
    title for an opening post, else ""), which spares :func:`index_post`'s UPDATE; None
    elsewhere, where the post is indexed once its row exists."""
    if connections[using].vendor != "postgresql":
        return None
    return search_vector(title=title, body=body)


def _indexed_title(post: Post, thread: Thread) -> str:
    return thread.title if post.position == 1 else ""


def index_post(*, post: Post, thread: Thread) -> None:
    """(Re)index one post; the opening post carries its thread's title. One UPDATE on
    PostgreSQL, a DELETE and an INSERT into the FTS5 table on SQLite, nothing elsewhere.
    Runs in the caller's transaction."""
    using = post._state.db or "default"
    connection = connections[using]
    title = _indexed_title(post, thread)
    if connection.vendor == "postgresql":
        Post.objects.using(using).filter(pk=post.pk).update(
            search_vector=search_vector(title=title, body=post.body)
        )
    elif sqlite_fts_ready(using):
        with connection.cursor() as cursor:
            # FTS5 has no upsert: replace the row by hand.
            cursor.execute(_FTS_DELETE, [post.pk])
            cursor.execute(_FTS_INSERT, [post.pk, title, post.body])


@transaction.atomic
def reindex_posts(*, posts: Iterable[Post] | None = None, batch_size: int = 500) -> int:
    """Index many posts exactly as :func:`index_post` would (``None``: every post) — for
    data loaded in bulk (the search benchmark) or an index to rebuild. Returns how many."""
    if posts is None:
        posts = (
            Post.objects.select_related("thread")
            .only("pk", "position", "body", "thread__title")
            .order_by("pk")
            .iterator(chunk_size=batch_size)
        )
    count = 0
    for post in posts:
        index_post(post=post, thread=post.thread)
        count += 1
    return count
