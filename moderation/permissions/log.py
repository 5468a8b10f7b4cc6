"""Reversing an action from the moderation log."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from moderation.models import REVERSIBLE, ModerationAction
from moderation.permissions.moderators import check_moderate


def check_reverse_action(user, action: ModerationAction) -> None:
    check_moderate(user)
    if action.kind not in REVERSIBLE:
        raise PermissionDenied(
            _("“%(kind)s” can't be reversed from the log; it has no reversal of its own.")
            % {"kind": action.get_kind_display()}
        )
    if hasattr(action, "reversed_by"):
        raise PermissionDenied(_("This action has already been reversed."))
    if action.kind == ModerationAction.Kind.SPAM_DELETE and not user.is_site_admin:
        raise PermissionDenied(_("Only an admin can reverse a spam deletion."))
