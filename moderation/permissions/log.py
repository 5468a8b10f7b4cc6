"""Reversing an action from the moderation log."""

from django.core.exceptions import PermissionDenied

from moderation.models import REVERSIBLE, ModerationAction
from moderation.permissions.moderators import check_moderate


def check_reverse_action(user, action: ModerationAction) -> None:
    check_moderate(user)
    if action.kind not in REVERSIBLE:
        raise PermissionDenied(
            f"“{action.get_kind_display()}” can't be reversed from the log; it has no "
            "reversal of its own."
        )
    if hasattr(action, "reversed_by"):
        raise PermissionDenied("This action has already been reversed.")
    if action.kind == ModerationAction.Kind.SPAM_DELETE and not user.is_site_admin:
        raise PermissionDenied("Only an admin can reverse a spam deletion.")
