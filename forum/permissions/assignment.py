"""Who sees and changes who looks after a thread: the team (employees, moderators and
admins), never a member."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from accounts.permissions import require_signed_in
from forum.permissions.common import is_staff_team, require_write_budget


def check_view_assignments(user) -> None:
    """Who a thread is assigned to, and "My threads", are for the team alone."""
    require_signed_in(user, action=gettext("seeing assignments"))
    if not is_staff_team(user):
        raise PermissionDenied(gettext("Only staff and moderators see who looks after a thread."))


def check_assign_thread(user, thread) -> None:
    """Assigning a thread (to oneself or a colleague) and unassigning it."""
    check_view_assignments(user)
    require_write_budget(user)
