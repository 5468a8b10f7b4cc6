"""In-app notifications and their emails (issue 5). OWNER: helper B1. PLACEHOLDER.

The one place that decides who hears about what: at most one Notification per member
per post and per thread event (the unique constraints enforce it), never to the
actor, never for muted threads; emails are enqueued as django-tasks (database
backend) so they leave after commit and never on rollback."""

from forum.models import Post, Thread


def post_added(*, post: Post, thread: Thread) -> None:
    """Called by forum.services._add_post in its transaction for every new post."""
    return None
