"""Unread tracking: one ReadMarker row per member and thread, holding the highest post
position the member has seen (shown to them on the thread page, or written by them)."""

from django.utils import timezone

from accounts.models import User
from forum.models import ReadMarker, Thread

# "The caller did not look": distinct from None, which means "the member has no marker".
UNKNOWN = object()


def mark_read(*, user: User, thread: Thread, position: int, known_position=UNKNOWN) -> None:
    """Raise the member's read marker in ``thread`` to ``position``; never lower it. A no-op
    for visitors.

    Race-safe without locks: the raise is one ``UPDATE … WHERE position < new``, and a
    missing marker is created with ``INSERT … ON CONFLICT DO NOTHING`` followed by that same
    conditional update — so two requests racing (two tabs, a reply and a page view) end at
    the higher of their positions, and a concurrent create never raises IntegrityError.

    ``known_position`` is the marker as the caller just read it (``None``: no marker), which
    saves queries — the thread page reads it anyway to place its "new" divider. Costs: one
    query to raise an existing marker, two to create one, none when already read that far."""
    if not getattr(user, "is_authenticated", False) or position < 1:
        return
    if known_position is not UNKNOWN and known_position is not None and known_position >= position:
        return
    now = timezone.now()
    markers = ReadMarker.objects.filter(user=user, thread=thread)
    if known_position is not None:
        if markers.filter(position__lt=position).update(position=position, updated_at=now):
            return
        if known_position is not UNKNOWN:
            return  # the marker moved past ``position`` meanwhile
    ReadMarker.objects.bulk_create(
        [ReadMarker(user=user, thread=thread, position=position, updated_at=now)],
        ignore_conflicts=True,
    )
    # If a concurrent request created the marker first, with a lower position, lift it.
    markers.filter(position__lt=position).update(position=position, updated_at=now)
