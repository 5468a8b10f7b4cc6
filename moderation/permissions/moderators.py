"""Who moderates: the check every moderation action starts from."""

from django.core.exceptions import PermissionDenied

from accounts.permissions import require_signed_in


def check_moderate(user) -> None:
    require_signed_in(user, action="moderation")
    if not user.is_moderator:
        raise PermissionDenied("Only moderators can do this.")
