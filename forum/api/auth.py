"""Who an API request acts as, and how much it may ask.

* ``Authorization: Bearer plt_…`` — a personal access token: the request acts as the
  token's owner, limited to the token's scope;
* no Authorization header — the session: the site's own scripts, signed in as the
  member, with the CSRF check on every write; or a visitor, who may read what visitors
  read.

A token that is wrong, revoked or belongs to a closed account is refused with 401; it
never falls back to the session or to a visitor. Every request spends its caller's
request budget (``API_TOKEN_RATE`` per token, ``API_VISITOR_RATE`` per member session or
visitor address, and a refused token its address's); the budget is reported in
``X-RateLimit-*`` headers."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from ninja.errors import AuthenticationError, Throttled
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from accounts.access_tokens import Scope, access_token_authenticate, scope_includes
from accounts.models import AccessToken
from forum import ratelimit

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Caller:
    user: object
    # None for the session and for visitors.
    token: AccessToken | None
    scope: str


def _address_key(request) -> str:
    return f"ip:{request.META.get('REMOTE_ADDR') or 'unknown'}"


class TokenOrSession(AuthBase):
    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_description = (
        "A personal access token (Settings → API tokens), sent as "
        "`Authorization: Bearer plt_…`. Without it, requests act as the signed-in session "
        "(writes need the X-CSRFToken header) or as a visitor."
    )

    def __call__(self, request) -> Caller:
        header = request.headers.get("Authorization", "")
        if header:
            try:
                caller = self._token_caller(request, header)
            except AuthenticationError:
                # A wrong token spends its address's budget: guessing tokens is held to
                # the pace of a visitor's reading, and answered 429 beyond it.
                self._spend(request, _address_key(request), settings.API_VISITOR_RATE)
                raise
            self._spend(request, f"token:{caller.token.pk}", settings.API_TOKEN_RATE)
            return caller
        caller = self._session_caller(request)
        user = caller.user
        budget_key = f"user:{user.pk}" if user.is_authenticated else _address_key(request)
        self._spend(request, budget_key, settings.API_VISITOR_RATE)
        return caller

    def _spend(self, request, budget_key: str, rate: str) -> None:
        allowed, limit, left, reset_in = ratelimit.api_request_allows(budget_key, rate)
        request.api_rate = (limit, left, reset_in)
        if not allowed:
            raise Throttled(wait=reset_in)

    def _token_caller(self, request, header: str) -> Caller:
        kind, _, raw = header.partition(" ")
        token = access_token_authenticate(raw=raw.strip()) if kind.lower() == "bearer" else None
        if token is None:
            raise AuthenticationError(
                message=gettext(
                    "This token isn't valid: it may be mistyped or revoked. Create a new one "
                    "under Settings → API tokens and send it as “Authorization: Bearer <token>”."
                )
            )
        request.user = token.user
        return Caller(user=token.user, token=token, scope=token.scope)

    def _session_caller(self, request) -> Caller:
        user = request.user
        if not user.is_authenticated:
            return Caller(user=user, token=None, scope=Scope.READ)
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise PermissionDenied(
                gettext(
                    "The CSRF check failed. Send the csrftoken cookie's value in the "
                    "X-CSRFToken header, or use a personal access token instead."
                )
            )
        return Caller(user=user, token=None, scope=Scope.MODERATE)


def require_scope(request, needed: str) -> None:
    """Refuse a token whose scope does not cover ``needed`` (the session covers all)."""
    caller: Caller = request.auth
    if scope_includes(caller.scope, needed):
        return
    if caller.token is None:
        # A visitor: the action's own check will ask them to sign in.
        return
    raise PermissionDenied(
        gettext(
            "This token's scope is “%(scope)s”, which doesn't allow this. Create a token "
            "with the “%(needed)s” scope under Settings → API tokens."
        )
        % {"scope": caller.scope, "needed": needed}
    )
