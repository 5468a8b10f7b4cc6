"""allauth customisation, in the one place allauth expects it (CONVENTIONS rule 10)."""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit as allauth_ratelimit
from django import forms
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.cache import cache
from django.core.exceptions import ValidationError

from accounts.email_domains import throwaway_domain, throwaway_message
from accounts.mail import email_enqueue
from accounts.services import validate_public_name


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Local sign-up, off with LOCAL_ACCOUNTS=false (members then come in through the
        identity provider; see SocialAccountAdapter)."""
        return settings.LOCAL_ACCOUNTS

    def send_mail(self, template_prefix, email, context):
        """Verification, password reset, email change and every other allauth mail: rendered
        here, delivered by the task worker through the outbox (``accounts.mail``), so the
        page never waits for, nor fails with, the mail server."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        email_enqueue(message=message, kind=template_prefix)

    def clean_email(self, email):
        """Sign-up, adding and changing an address all pass here: a throwaway address
        (see accounts.email_domains) is refused next to the email field, text kept."""
        email = super().clean_email(email)
        domain = throwaway_domain(email)
        if domain:
            raise forms.ValidationError(throwaway_message(domain), code="throwaway_email")
        return email

    def clean_username(self, username, shallow=False):
        username = super().clean_username(username, shallow=shallow)
        try:
            validate_public_name(user=None, name=username, field="username")
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return username

    # --- Sign-in limits: only failed attempts count ----------------------------------
    # allauth spends one use of the "login_failed" limits (ACCOUNT_RATE_LIMITS: per address
    # and per login name) before checking a password and gives it back on success, so
    # correct sign-ins still in progress filled the budget: 20 members signing in at once
    # from one address (an office, a school) were refused as "too many failed attempts".
    # Here an attempt is checked against the failures so far, and only a failure is counted.

    def _login_failures_allow(self, request, credentials, *, count: bool) -> bool:
        """Whether the failed-attempt limits allow one more attempt; ``count`` records
        this one as a failure (under allauth's lock, so of simultaneous wrong passwords
        only the limit's worth are answered "wrong", the rest "too many attempts")."""
        app, action = "allauth.account", "login_failed"
        # allauth's own key, which a password reset clears.
        key = self._get_login_attempts_cache_key(request, **credentials)
        if count:
            usage = allauth_ratelimit.consume(request, app=app, action=action, key=key)
            return usage is not None
        # Only a look at the failures so far: no lock, so simultaneous sign-ins don't
        # queue for one (allauth's lock gives up after a second and answers 429).
        now = time.time()
        for rate in allauth_ratelimit.get_rates(app=app, action=action):
            cache_key = allauth_ratelimit.get_cache_key(
                request, app=app, action=action, rate=rate, key=key
            )
            history = list(cache.get(cache_key, []))
            if not allauth_ratelimit.apply_rate(history, now, rate, dry_run=True)[0]:
                return False
        return True

    def pre_authenticate(self, request, **credentials):
        self._login_failed_rl_usage = None  # nothing spent, so nothing to give back
        if not self._login_failures_allow(request, credentials, count=False):
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request, **credentials):
        if not self._login_failures_allow(request, credentials, count=True):
            raise self.validation_error("too_many_login_attempts")

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        # A correct password is refused too if the limit was reached while it was being
        # checked: otherwise a burst of guesses sent at once would all pass the check in
        # pre_authenticate, and the right one would get in however many came before it.
        if user is not None and not self._login_failures_allow(request, credentials, count=False):
            raise self.validation_error("too_many_login_attempts")
        return user
