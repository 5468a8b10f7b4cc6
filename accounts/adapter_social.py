"""Sign-in through the identity provider (allauth's socialaccount), customised where allauth
expects it (CONVENTIONS rule 10): the provider's names pass the same rules as a local
sign-up, its sign-ins spend the same limits, and its addresses are trusted only when it
says it verified them."""

from allauth.account.utils import user_username
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit as allauth_ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, _build_apps_from_settings
from django.core.exceptions import ValidationError

from accounts.services import validate_public_name


def public_name_problem(name: str) -> str | None:
    """Why a name from the provider can't be used as it is (taken, reserved, passes for
    staff, look-alike), or None. The account adapter's own username check, so a name is
    judged exactly as on the sign-up form."""
    from allauth.account.adapter import get_adapter as get_account_adapter

    if not name:
        return None
    try:
        get_account_adapter().clean_username(name)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        """The provider comes from the environment only (SOCIALACCOUNT_PROVIDERS, built
        from OIDC_*): no query on every sign-in page, and a Social application row added
        in the admin can't become a second, conflicting provider."""
        apps = _build_apps_from_settings(provider=provider, client_id=client_id)
        return [app for provider_apps in apps.values() for app in provider_apps]

    def is_open_for_signup(self, request, sociallogin) -> bool:
        # With LOCAL_ACCOUNTS off the account adapter refuses sign-ups; the provider's
        # members still become members on their first sign-in.
        return True

    def pre_social_login(self, request, sociallogin):
        """Every sign-in that comes back from the provider spends one use of the sign-in
        limit (ACCOUNT_RATE_LIMITS "login", per address), as a password sign-in does."""
        # The provider's callback is a GET, which allauth's limits otherwise let through.
        usage = allauth_ratelimit.consume(
            request, app="allauth.account", action="login", limit_get=True
        )
        if usage is None:
            raise ImmediateHttpResponse(allauth_ratelimit.respond_429(request))

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        """A name the provider sends is used only if a member could pick it on the sign-up
        form. Otherwise (none sent, taken, reserved, a look-alike of a staff name) the
        member chooses one on the social sign-up form, which says why; allauth would
        otherwise make up a name from the person's real name or address."""
        if not super().is_auto_signup_allowed(request, sociallogin):
            return False
        name = user_username(sociallogin.user)
        return bool(name) and public_name_problem(name) is None

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        display_name = (data.get("name") or "").strip()
        if display_name:
            try:
                validate_public_name(user=None, name=display_name, field="display_name")
            except ValidationError:
                # A display name that passes for staff is dropped, not offered: members set
                # their own in the profile, where the same rule explains itself.
                display_name = ""
            user.display_name = display_name[: user._meta.get_field("display_name").max_length]
        return user
