"""Every write of the forum (CONVENTIONS rule 1), one module per subject. The public
names are re-exported here, so ``from forum import services; services.thread_create(...)``
works whatever module holds it.

Services assume the caller asked the permission check for the action (forum.permissions)."""

from forum.services.attachments import (
    attachment_create,
    attachments_attach_named,
    attachments_delete_orphans,
    markdown_for,
)
from forum.services.boards import board_create, thread_set_pinned
from forum.services.notices import (
    notice_create,
    notice_delete,
    notice_dismiss,
    notice_end,
    notice_update,
    validate_notice,
)
from forum.services.posts import post_create, post_edit, thread_create
from forum.services.validation import validate_body, validate_title

__all__ = [
    "attachment_create",
    "attachments_attach_named",
    "attachments_delete_orphans",
    "markdown_for",
    "board_create",
    "notice_create",
    "notice_delete",
    "notice_dismiss",
    "notice_end",
    "notice_update",
    "post_create",
    "post_edit",
    "thread_create",
    "thread_set_pinned",
    "validate_body",
    "validate_notice",
    "validate_title",
]
