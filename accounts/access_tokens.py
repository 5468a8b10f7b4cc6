"""Personal access tokens for the JSON API: created, listed, revoked by their owner, and
looked up on every API request.

A token is ``plt_`` and 40 random characters. It is returned once, by
``access_token_create``; only its SHA-256 digest is kept, so a database leak exposes no
usable token. ``last_used_at`` is written at most once a minute per token, so a busy
integration does not turn every read into a write."""

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import AccessToken, User

# A public marker (secret scanners and people recognise our tokens by it), not a secret.
TOKEN_PREFIX = "plt_"  # noqa: S105
# How many tokens one member may hold at once (revoked ones don't count).
TOKENS_MAX = 20
LAST_USED_PRECISION = timedelta(minutes=1)
# Tokens one member may create per hour from the settings page: plenty for a person, and
# a stolen session can't mint an unbounded stream of tokens (revoking frees TOKENS_MAX).
CREATIONS_PER_HOUR = 10

Scope = AccessToken.Scope
# Each scope includes the ones before it.
SCOPE_ORDER = (Scope.READ, Scope.WRITE, Scope.MODERATE)


def scope_includes(scope: str, needed: str) -> bool:
    return SCOPE_ORDER.index(Scope(scope)) >= SCOPE_ORDER.index(Scope(needed))


def scopes_for(user: User) -> list[str]:
    """The scopes this member may give a token: moderating only for moderators."""
    if user.is_moderator:
        return list(SCOPE_ORDER)
    return [Scope.READ, Scope.WRITE]


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class CreatedToken:
    token: AccessToken
    # The token itself: shown to its owner once, never stored.
    raw: str


@transaction.atomic
def access_token_create(*, user: User, name: str, scope: str) -> CreatedToken:
    """Create a token for ``user``. Raises ValidationError (by field) for an empty name, a
    scope the member may not grant, or too many tokens."""
    name = name.strip()
    if not name:
        raise ValidationError(
            {"name": gettext("Give the token a name, so you know later what uses it.")}
        )
    if scope not in scopes_for(user):
        raise ValidationError(
            {"scope": gettext("Only moderators can create tokens that moderate.")}
        )
    # Lock the member's row so two simultaneous creations can't both pass the count.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if AccessToken.objects.filter(user=user, revoked_at=None).count() >= TOKENS_MAX:
        raise ValidationError(
            gettext(
                "You have %(count)s active tokens, the most we allow. Revoke one you no longer "
                "use, then create this one."
            )
            % {"count": TOKENS_MAX}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(30)
    token = AccessToken.objects.create(
        user=user,
        name=name[:100],
        scope=scope,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        digest=_digest(raw),
        created_at=timezone.now(),
    )
    return CreatedToken(token=token, raw=raw)


def access_token_revoke(*, token: AccessToken) -> bool:
    """Revoke ``token`` at once; False when it already was."""
    revoked = AccessToken.objects.filter(pk=token.pk, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    return bool(revoked)


def access_tokens_revoke_all(*, user: User) -> int:
    """Revoke every token of ``user`` (their account is being closed)."""
    return AccessToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())


def access_token_authenticate(*, raw: str) -> AccessToken | None:
    """The active token ``raw`` names, with its owner, or None. Marks it used."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        AccessToken.objects.select_related("user")
        .filter(digest=_digest(raw), revoked_at=None, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def access_token_list(*, user: User) -> list[AccessToken]:
    """The member's tokens, newest first, revoked ones too (they stay listed, marked)."""
    return list(AccessToken.objects.filter(user=user).order_by("-created_at", "-pk"))


def access_token_get_for_owner(*, token_id: int, user: User) -> AccessToken | None:
    """The token, only if it is ``user``'s: anyone else's is None, like a missing one."""
    return AccessToken.objects.filter(pk=token_id, user=user).first()


def _creations_key(user: User) -> str:
    return f"accounts:token-creations:{user.pk}:{int(timezone.now().timestamp() // 3600)}"


def access_token_creation_take(*, user: User) -> bool:
    """Take one of the member's creations this hour; False when none is left. A creation
    that then fails gives it back with ``access_token_creation_give_back``."""
    key = _creations_key(user)
    cache.add(key, 0, timeout=3600 + 60)
    try:
        used = cache.incr(key)
    except ValueError:  # the hour's counter expired between add and incr
        cache.add(key, 1, timeout=3600 + 60)
        used = 1
    if used > CREATIONS_PER_HOUR:
        # Counting up first and refusing past the limit keeps simultaneous requests exact.
        access_token_creation_give_back(user=user)
        return False
    return True


def access_token_creation_give_back(*, user: User) -> None:
    # An hour that is over has no counter left to give back to.
    with contextlib.suppress(ValueError):
        cache.decr(_creations_key(user))
