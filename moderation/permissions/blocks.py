"""A member's block in force, the words every write refuses with while it lasts, and
who may block a member or lift a block."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from moderation import selectors
from moderation.formatting import format_when, rule_phrase
from moderation.models import Block, ModerationAction
from moderation.permissions.moderators import check_moderate

_BLOCK_CACHE = "_porchlight_active_block"
_MESSAGES_CACHE = "_porchlight_unread_messages"


def active_block_for(user) -> Block | None:
    """The member's block in force, looked up once per user object (one per request),
    in the same query as their unread moderation messages (``unread_messages_for``)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _BLOCK_CACHE):
        block, unread = selectors.active_block_and_unread_messages(user.pk)
        setattr(user, _BLOCK_CACHE, block)
        setattr(user, _MESSAGES_CACHE, unread)
    return getattr(user, _BLOCK_CACHE)


def unread_messages_for(user) -> int:
    """The member's unread moderation messages, read with their block: every signed-in
    page shows both, so they cost one query together."""
    if not getattr(user, "is_authenticated", False):
        return 0
    active_block_for(user)
    return getattr(user, _MESSAGES_CACHE)


def block_message(user, block: Block) -> str:
    action = (
        ModerationAction.objects.filter(block=block, kind__in=["block", "spam_delete"])
        .order_by("created_at")
        .first()
    )
    rules = rule_phrase(block.rules)
    if block.kind == Block.Kind.BAN:
        text = _(
            "This account is banned as spam, under %(rules)s. You can still read, sign in, "
            "export your data and delete your account."
        ) % {"rules": rules}
    elif block.ends_at:
        text = _(
            "Your account is blocked from posting until %(when)s, under %(rules)s. You can "
            "still read, sign in, export your data and delete your account."
        ) % {"when": format_when(block.ends_at, user), "rules": rules}
    else:
        text = _(
            "Your account is blocked from posting until a moderator lifts the block, under "
            "%(rules)s. You can still read, sign in, export your data and delete your account."
        ) % {"rules": rules}
    if action is not None and not hasattr(action, "appeal"):
        url = reverse("moderation:appeal-create", kwargs={"action_id": action.pk})
        text += " " + _("If you think this is a mistake, you can appeal at %(url)s.") % {"url": url}
    elif action is not None:
        text += " " + _("Your appeal is with the moderators.")
    return text


def require_not_blocked(user) -> None:
    block = active_block_for(user)
    if block is not None:
        raise PermissionDenied(block_message(user, block))


def check_block_member(user, member) -> None:
    check_moderate(user)
    if member.pk == user.pk:
        raise PermissionDenied(_("You can't block yourself."))
    if member.is_moderator:
        raise PermissionDenied(
            _("Moderators and admins can't be blocked; ask an admin to change their role.")
        )


def check_lift_block(user, block: Block) -> None:
    """Moderators lift blocks; a spam ban only an admin may lift (as only an admin may
    reverse the spam deletion that made it)."""
    check_moderate(user)
    if block.kind == Block.Kind.BAN and not user.is_site_admin:
        raise PermissionDenied(
            _(
                "Only an admin can lift a spam ban. Ask an admin, who can reverse the spam "
                "deletion from the moderation log."
            )
        )
