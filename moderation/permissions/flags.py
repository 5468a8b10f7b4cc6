"""Who may flag a post."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.permissions import require_signed_in
from moderation.permissions.blocks import require_not_blocked


def check_flag_post(user, post) -> None:
    require_signed_in(user, action=_("flagging a post"))
    require_not_blocked(user)
    if post.author_id == user.pk:
        raise PermissionDenied(_("You can't flag your own post. Edit it instead."))
    if post.is_hidden:
        raise PermissionDenied(
            _("Moderators have already hidden this post; there is no need to flag it.")
        )
