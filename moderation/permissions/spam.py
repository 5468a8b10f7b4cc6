"""Who may delete an account as spam."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from moderation.permissions.blocks import check_block_member


def check_delete_spam(user, member) -> None:
    check_block_member(user, member)
    if member.is_employee:
        raise PermissionDenied(_("Staff accounts can't be deleted as spam."))
