"""Reads for attachments: one for the person asking to see it."""

from dataclasses import dataclass

from django.http import Http404

from forum.models import Attachment
from forum.selectors.visibility import can_see_hidden_thread


@dataclass(frozen=True)
class AttachmentForReader:
    attachment: Attachment
    # Whether a visitor would be shown it too (a public post): decides how long caches
    # between the reader and the site may keep it.
    public: bool


def attachment_get_for_user(*, user, attachment_id: int) -> AttachmentForReader:
    """The attachment when ``user`` may see it, else the same 404 as for one that does
    not exist: an upload not yet in a post is its uploader's alone; one in a post is seen
    by whoever sees that post in full (a held or hidden post, or a post in a hidden
    thread: its author and moderators only). One query."""
    attachment = Attachment.objects.select_related("post__thread").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such attachment.")
    own = getattr(user, "is_authenticated", False) and attachment.uploader_id == user.pk
    post = attachment.post
    if post is None:
        if not own:
            raise Http404("No such attachment.")
        return AttachmentForReader(attachment, public=False)
    is_moderator = bool(getattr(user, "is_moderator", False))
    author = getattr(user, "is_authenticated", False) and post.author_id == user.pk
    if post.thread.is_hidden and not can_see_hidden_thread(user, post.thread):
        raise Http404("No such attachment.")
    if (post.is_hidden or post.held_at is not None) and not (is_moderator or author):
        raise Http404("No such attachment.")
    public = not (post.thread.is_hidden or post.is_hidden or post.held_at is not None)
    return AttachmentForReader(attachment, public=public)
