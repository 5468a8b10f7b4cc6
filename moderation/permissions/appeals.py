"""Appealing an action."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.permissions import require_signed_in
from moderation.models import APPEALABLE, ModerationAction


def check_appeal(user, action: ModerationAction) -> None:
    """Members may appeal actions against them once, blocked or not."""
    require_signed_in(user, action=_("appealing"))
    if action.member_id != user.pk or action.kind not in APPEALABLE:
        raise PermissionDenied(_("You can only appeal moderation actions taken against you."))
    if hasattr(action, "appeal"):
        raise PermissionDenied(_("You have already appealed this action; one appeal per action."))
    if hasattr(action, "reversed_by"):
        raise PermissionDenied(_("This action has already been reversed."))
