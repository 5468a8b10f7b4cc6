"""Staff keyword watches (issue 5). OWNER: helper C. PLACEHOLDER."""

from forum.models import Post


def staff_matching(*, post: Post) -> dict:
    """{user: matched term} for staff members whose saved keyword watches match the
    post (its body, and the thread title for an opening post). Used by
    forum.services.notifications.post_added."""
    return {}
