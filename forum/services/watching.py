"""Watching threads and boards (watch / normal / mute). OWNER: helper B1. PLACEHOLDER."""

from accounts.models import User
from forum.models import Thread


def watch_on_participation(*, user: User, thread: Thread) -> None:
    """Starting or replying to a thread watches it, unless the member chose a level for
    it already (a muted thread stays muted). Called by forum.services._add_post."""
    return None
