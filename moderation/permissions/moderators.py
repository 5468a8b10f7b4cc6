"""Who moderates: the check every moderation action starts from."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.permissions import require_signed_in


def check_moderate(user) -> None:
    require_signed_in(user, action=_("moderation"))
    if not user.is_moderator:
        raise PermissionDenied(_("Only moderators can do this."))
