"""One check per write action on accounts (CONVENTIONS rule 3).

A check returns None when the action is allowed and raises ``PermissionDenied`` whose
first argument is a human sentence saying why not and what to do instead. ``can()``
turns any check into a yes/no for templates.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied

SIGN_IN_REASON = "Please sign in first: {action} needs an account."


def require_signed_in(user, *, action: str) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied(SIGN_IN_REASON.format(action=action))
    if not user.is_active:
        raise PermissionDenied("This account has been closed, so it cannot make changes.")


def check_edit_profile(user, profile_user) -> None:
    # Blocks live in moderation; permission checks may read them (CONVENTIONS rule 15).
    from moderation.permissions import require_not_blocked

    require_signed_in(user, action="editing a profile")
    if user.pk != profile_user.pk:
        raise PermissionDenied("You can only edit your own profile.")
    require_not_blocked(user)


def can(check: Callable[..., None], *args) -> bool:
    try:
        check(*args)
    except PermissionDenied:
        return False
    return True


def denial_reason(exc: PermissionDenied) -> str:
    return str(exc.args[0]) if exc.args else "You are not allowed to do that."
