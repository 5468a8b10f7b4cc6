"""What every app's checks share (CONVENTIONS rule 3): the signed-in requirement, and
``can()``, which turns any check into a yes/no for templates.

A check returns None when the action is allowed and raises ``PermissionDenied`` whose
first argument is a human sentence saying why not and what to do instead. The profile
check lives in forum.permissions: it consults blocks, which accounts does not know.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext


def require_signed_in(user, *, action: str) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied(
            gettext("Please sign in first: %(action)s needs an account.") % {"action": action}
        )
    if not user.is_active:
        raise PermissionDenied(gettext("This account has been closed, so it cannot make changes."))


def can(check: Callable[..., None], *args) -> bool:
    try:
        check(*args)
    except PermissionDenied:
        return False
    return True


def denial_reason(exc: PermissionDenied) -> str:
    return str(exc.args[0]) if exc.args else gettext("You are not allowed to do that.")


def check_choose_theme(user) -> None:
    """Any signed-in member may choose how their pages look, blocked or not."""
    require_signed_in(user, action=gettext("saving a theme"))


def check_manage_access_tokens(user) -> None:
    """Any signed-in member may create and revoke their own API tokens, blocked or not: a
    block stops public posting, and the API asks each action's own check, which refuses a
    blocked member's writes there too."""
    require_signed_in(user, action=gettext("managing API tokens"))
