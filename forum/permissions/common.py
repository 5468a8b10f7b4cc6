"""What the forum's checks share: the write budget every write spends, and who is on the
staff team."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import ngettext

from forum import ratelimit


def require_write_budget(user) -> None:
    # In a write view (ratelimit.spends_budget) this takes one use of the budget, so
    # simultaneous writes can't all pass on the same count; on pages it only reads.
    allowed, reset_in = ratelimit.write_budget_allows(user.pk)
    if not allowed:
        raise PermissionDenied(
            ngettext(
                "You are posting faster than we allow. Please wait %(seconds)s second and try "
                "again — your text is kept.",
                "You are posting faster than we allow. Please wait %(seconds)s seconds and try "
                "again — your text is kept.",
                reset_in,
            )
            % {"seconds": reset_in}
        )


def is_staff_team(user) -> bool:
    """Who looks after threads: employees, moderators and admins. Only they see who a
    thread is assigned to, and only they can be assigned one."""
    return bool(user.is_authenticated and (user.is_employee or user.is_moderator))
