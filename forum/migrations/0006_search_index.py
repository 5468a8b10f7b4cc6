"""The search index, on each database vendor only:

- PostgreSQL: a GIN index on forum_post.search_vector, and every existing post's vector
  filled in — the same vector forum.services.search.index_post writes (accent-folded
  text; 'english' and 'simple' configurations; the opening post's thread title weight A,
  bodies weight B; tests/forum/test_search.py checks the two agree).
- SQLite: the FTS5 table forum_post_fts(rowid = post id, title, body), when the SQLite
  library has FTS5, filled from the existing posts. Without FTS5 nothing is created and
  search falls back to icontains.

Self-contained on purpose (no import of the app's services), so it keeps working however
the app changes later.
"""

import unicodedata

from django.db import DatabaseError, migrations, transaction

GIN_INDEX = "post_search_vector_gin"
FTS_TABLE = "forum_post_fts"
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"
BATCH = 1000

_PG_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, %(title)s), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, %(title)s), 'A')"
    " || setweight(to_tsvector('english'::regconfig, %(body)s), 'B')"
    " || setweight(to_tsvector('simple'::regconfig, %(body)s), 'B')"
)


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _posts(apps):
    Post = apps.get_model("forum", "Post")
    return (
        Post.objects.order_by("pk")
        .values_list("pk", "position", "body", "thread__title")
        .iterator(chunk_size=BATCH)
    )


_PG_UPDATE = f"UPDATE forum_post SET search_vector = {_PG_VECTOR} WHERE id = %(id)s"  # noqa: S608


def _pg_backfill(apps, schema_editor):
    rows = []
    with schema_editor.connection.cursor() as cursor:
        for pk, position, body, title in _posts(apps):
            rows.append(
                {"id": pk, "title": _fold(title if position == 1 else ""), "body": _fold(body)}
            )
            if len(rows) >= BATCH:
                cursor.executemany(_PG_UPDATE, rows)
                rows = []
        if rows:
            cursor.executemany(_PG_UPDATE, rows)


def _sqlite_create_fts(schema_editor) -> bool:
    """Create the FTS5 table; False when this SQLite has no FTS5."""
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} "
                f"USING fts5(title, body, tokenize = '{FTS_TOKENIZER}')"
            )
    except DatabaseError:
        return False
    return True


def create_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON forum_post USING gin (search_vector)"
        )
        _pg_backfill(apps, schema_editor)
    elif vendor == "sqlite" and _sqlite_create_fts(schema_editor):
        schema_editor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body) "  # noqa: S608 - constant SQL
            "SELECT p.id, CASE WHEN p.position = 1 THEN t.title ELSE '' END, p.body "
            "FROM forum_post p JOIN forum_thread t ON t.id = p.thread_id"
        )


def drop_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
        schema_editor.execute("UPDATE forum_post SET search_vector = NULL")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("forum", "0005_care_loop")]

    operations = [migrations.RunPython(create_search_index, drop_search_index, elidable=False)]
