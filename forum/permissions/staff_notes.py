"""Who reads and writes private staff notes: staff, moderators and admins, never a
member."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from accounts.permissions import require_signed_in
from forum.permissions.common import is_staff_team, require_write_budget


def check_view_staff_notes(user) -> None:
    """Notes are read in the thread by the team alone; anyone else is given none."""
    require_signed_in(user, action=gettext("reading staff notes"))
    if not is_staff_team(user):
        raise PermissionDenied(gettext("Staff notes are for staff and moderators only."))


def check_write_staff_note(user, thread) -> None:
    """Adding a note to a thread the person can read (the view found it for them)."""
    check_view_staff_notes(user)
    require_write_budget(user)


def check_edit_staff_note(user, note) -> None:
    """A note is changed by the one who wrote it, while they are on the team."""
    check_view_staff_notes(user)
    if note.author_id != user.pk:
        raise PermissionDenied(
            gettext("Only the note's author can change it. Add a note of your own instead.")
        )
    require_write_budget(user)
