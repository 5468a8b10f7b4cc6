"""Who keeps and uses saved replies: staff (employees and site admins), as for the other
staff pages. A team reply is any staff member's to change; a personal one its owner's."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from accounts.permissions import require_signed_in
from forum.permissions.common import require_write_budget


def check_use_saved_replies(user) -> None:
    """Saved replies speak for the company: staff keep them and insert them."""
    require_signed_in(user, action=gettext("using saved replies"))
    if not (user.is_employee or user.is_site_admin):
        raise PermissionDenied(gettext("Saved replies are for staff only."))


def check_manage_saved_reply(user, saved_reply=None) -> None:
    """Adding (``saved_reply=None``), changing or deleting one: the team's by any staff
    member, a personal one by its owner alone."""
    check_use_saved_replies(user)
    if saved_reply is not None and saved_reply.owner_id not in (None, user.pk):
        raise PermissionDenied(gettext("Only its owner can change a personal saved reply."))
    require_write_budget(user)
