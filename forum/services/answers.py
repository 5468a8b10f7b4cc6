"""Help workflow (issue 5): thread state, accepted answer, official answer, the staff
prompt ("Did this fix everything?") and the asker's "Yes, solved" / "Not yet".
OWNER: helper A1. PLACEHOLDER — replace every stub."""

from forum.models import Post, Thread


def post_added(*, thread: Thread, post: Post) -> None:
    """Called by forum.services._add_post inside its transaction, with the thread row
    locked, for every new post (the opening post included). Moves the Help state:
    staff reply -> awaiting the asker (sets first_staff_reply_at, clears reopened_at);
    the asker replies -> awaiting staff. Saves with update_fields."""
    return None
