"""Private staff notes on a thread.

Callers ask ``check_write_staff_note`` / ``check_edit_staff_note`` first. A note is
rendered once, here, through the same Markdown pipeline as posts. Nothing else happens:
no notification (an @mention in a note links the name but tells nobody, so a member
named in one never learns of it), no live event, no feed, search or email, and no stored
page changes — notes are added to the thread page per reader, for staff alone.

    staff_note_create(thread=, author=, body=) -> StaffNote
    staff_note_edit(note=, editor=, body=) -> bool
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from accounts.models import User
from forum import ratelimit
from forum.markup import RenderRefused, check_renderable, render_markdown
from forum.models import Post, StaffNote, Thread
from forum.models.staff import NOTE_MAX
from forum.services.validation import without_control_chars


def validate_note(body: str) -> str:
    body = without_control_chars(body).strip("\n\r ")
    if not body.strip():
        raise ValidationError(
            {"body": gettext("The note is empty. Write what the team should know, then save it.")}
        )
    if len(body) > NOTE_MAX:
        raise ValidationError(
            {
                "body": gettext(
                    "Staff notes can be at most %(max)s characters; this one has %(count)s. "
                    "Shorten it — your text is kept below."
                )
                % {
                    "max": number_format(NOTE_MAX, force_grouping=True),
                    "count": number_format(len(body), force_grouping=True),
                }
            }
        )
    try:
        check_renderable(body)
    except RenderRefused as exc:
        raise ValidationError({"body": str(exc)}) from exc
    return body


def _render(body: str) -> str:
    try:
        return render_markdown(body)
    except RenderRefused as exc:
        raise ValidationError({"body": str(exc)}) from exc


def staff_note_create(*, thread: Thread, author: User, body: str) -> StaffNote:
    """Add a note after the thread's latest post (as staff see it, hidden posts included).
    Rendered before the transaction; notifies and broadcasts nothing."""
    body = validate_note(body)
    body_html = _render(body)
    with transaction.atomic():
        after = Post.objects.filter(thread_id=thread.pk).aggregate(last=Max("position"))["last"]
        note = StaffNote.objects.create(
            thread=thread,
            author=author,
            body=body,
            body_html=body_html,
            after_position=after or 1,
            created_at=timezone.now(),
        )
        transaction.on_commit(lambda: ratelimit.record_write(author.pk))
    return note


def staff_note_edit(*, note: StaffNote, editor: User, body: str) -> bool:
    """Replace the note's text (its place in the thread stays) and mark it edited.
    False when the text is unchanged. Notifies and broadcasts nothing."""
    body = validate_note(body)
    body_html = _render(body)
    with transaction.atomic():
        locked = StaffNote.objects.select_for_update().get(pk=note.pk)
        if locked.body == body:
            return False
        locked.body = body
        locked.body_html = body_html
        locked.edited_at = timezone.now()
        locked.save(update_fields=["body", "body_html", "edited_at"])
        transaction.on_commit(lambda: ratelimit.record_write(editor.pk))
    note.body, note.body_html, note.edited_at = locked.body, locked.body_html, locked.edited_at
    return True
