"""Unread tracking (issue 5): ReadMarker rows. OWNER: helper B2. PLACEHOLDER."""

from accounts.models import User
from forum.models import Thread


def mark_read(*, user: User, thread: Thread, position: int) -> None:
    """Raise the member's read marker in ``thread`` to ``position`` (never lower it)."""
    return None
