"""Who the caller is."""

from forum.api.routers import me as router
from forum.schemas import MeOut


def _role(user) -> str:
    if not user.is_authenticated:
        return "visitor"
    return user.role


@router.get("", response=MeOut, summary="Who you are")
def get_me(request):
    caller = request.auth
    user = caller.user
    return {
        "member": user if user.is_authenticated else None,
        "role": _role(user),
        "token_scope": caller.token.scope if caller.token is not None else None,
        "token_name": caller.token.name if caller.token is not None else None,
    }
