"""Unread tracking on the thread page. OWNER: helper B2. PLACEHOLDER."""


def first_unread_redirect(request, thread):
    """A signed-in member opening a thread without ``?page=`` lands on their first unread
    post: return a redirect there, or None to show the page asked for."""
    return None


def thread_context(request, thread, posts) -> dict:
    """Marks the shown posts read (after rendering is decided) and returns template values
    (e.g. the position of the first unread post, for a "new" divider)."""
    return {}
