"""Unread tracking: one ReadMarker row per member and thread, holding the highest post
position the member has seen (shown to them on the thread page, or written by them)."""

from django.db import connection
from django.utils import timezone

from accounts.models import User
from forum.models import ReadMarker, Thread

# "The caller did not look": distinct from None, which means "the member has no marker".
UNKNOWN = object()


def mark_read(*, user: User, thread: Thread, position: int, known_position=UNKNOWN) -> None:
    """Raise the member's read marker in ``thread`` to ``position``; never lower it. A no-op
    for visitors.

    Race-safe without locks: one ``INSERT … ON CONFLICT DO UPDATE … WHERE position < new``
    creates the marker or raises it, never lowers it, so two requests racing (two tabs, a
    reply and a page view) end at the higher of their positions and a concurrent create
    never raises IntegrityError.

    ``known_position`` is the marker as the caller just read it (``None``: no marker), which
    saves the query when it is already that far — the thread page reads it anyway to place
    its "new" divider. One query otherwise (a single statement, so no transaction either)."""
    if not getattr(user, "is_authenticated", False) or position < 1:
        return
    if known_position is not UNKNOWN and known_position is not None and known_position >= position:
        return
    table = connection.ops.quote_name(ReadMarker._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, thread_id, position, updated_at) "  # noqa: S608 - the table name is the model's
            "VALUES (%s, %s, %s, %s) ON CONFLICT (user_id, thread_id) DO UPDATE "
            "SET position = excluded.position, updated_at = excluded.updated_at "
            f"WHERE {table}.position < excluded.position",
            [user.pk, thread.pk, position, timezone.now()],
        )
