"""Publishing new guidelines."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.permissions import require_signed_in


def check_edit_guidelines(user) -> None:
    require_signed_in(user, action=_("editing the guidelines"))
    if not user.is_site_admin:
        raise PermissionDenied(_("Only admins can publish new guidelines."))
