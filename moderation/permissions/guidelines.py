"""Publishing new guidelines."""

from django.core.exceptions import PermissionDenied

from accounts.permissions import require_signed_in


def check_edit_guidelines(user) -> None:
    require_signed_in(user, action="editing the guidelines")
    if not user.is_site_admin:
        raise PermissionDenied("Only admins can publish new guidelines.")
