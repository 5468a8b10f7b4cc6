"""The API tokens settings page: a member's personal access tokens, creating one (shown
once, in the response to the form that created it) and revoking one."""

import secrets

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.access_tokens import (
    CREATIONS_PER_HOUR,
    TOKENS_MAX,
    access_token_create,
    access_token_creation_give_back,
    access_token_creation_take,
    access_token_get_for_owner,
    access_token_list,
    access_token_revoke,
)
from accounts.forms_tokens import AccessTokenCreateForm, AccessTokenRevokeForm
from accounts.permissions import check_manage_access_tokens
from config.views import CheckedFormView

# How long a sent creation form's one-time value is remembered: longer than anyone keeps
# a result page open before reloading it.
FORM_ONCE_SECONDS = 6 * 3600


@method_decorator(never_cache, name="dispatch")
class AccessTokenListView(CheckedFormView):
    """GET: the member's tokens and the form. POST: create one, and answer with the page
    that shows it — the only time it is ever shown."""

    template_name = "accounts/tokens.html"
    form_class = AccessTokenCreateForm

    def check(self, user) -> None:
        check_manage_access_tokens(user)

    def get_form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def get_context_data(self, **context) -> dict:
        return {
            "tokens": access_token_list(user=self.request.user),
            "tokens_max": TOKENS_MAX,
            "creations_per_hour": CREATIONS_PER_HOUR,
            **context,
        }

    def act(self, form):
        user = self.request.user
        once_key = f"accounts:token-form:{user.pk}:{form.cleaned_data['once']}"
        if not cache.add(once_key, 1, timeout=FORM_ONCE_SECONDS):
            # Shown again with its text and a fresh one-time value, so a deliberate second
            # token is one more click away.
            form.data = form.data.copy()
            form.data["once"] = secrets.token_urlsafe(16)
            raise ValidationError(
                _(
                    "This form was already sent, and the token it created is in your list "
                    "of tokens. It can't be shown again: create another if you need it."
                )
            )
        if not access_token_creation_take(user=user):
            cache.delete(once_key)
            raise ValidationError(
                _(
                    "You have created %(count)s tokens in the last hour, the most we allow. "
                    "Please try again later."
                )
                % {"count": CREATIONS_PER_HOUR}
            )
        try:
            return access_token_create(
                user=user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
            )
        except ValidationError:
            access_token_creation_give_back(user=user)
            cache.delete(once_key)
            raise

    def done(self, result):
        # Rendered here rather than after a redirect, so the token is never stored, not even
        # for one request in the session or the messages cookie. A fresh form follows it.
        context = self.get_context_data(
            form=self.form_class(**self.get_form_kwargs()), created=result
        )
        response = render(self.request, self.template_name, context, status=201)
        response["Cache-Control"] = "private, no-store"
        return response


@method_decorator(never_cache, name="dispatch")
class AccessTokenRevokeView(CheckedFormView):
    """GET: confirm. POST: revoke one of the member's own tokens; anyone else's is a 404."""

    template_name = "accounts/token_revoke.html"
    form_class = AccessTokenRevokeForm

    def load(self, request, *, token_id: int, **kwargs) -> None:
        if not request.user.is_authenticated:
            return
        self.token = access_token_get_for_owner(token_id=token_id, user=request.user)
        if self.token is None:
            raise Http404(_("You have no token with this number."))

    def check(self, user) -> None:
        check_manage_access_tokens(user)

    def get_context_data(self, **context) -> dict:
        return {"token": self.token, **context}

    def act(self, form):
        return access_token_revoke(token=self.token)

    def done(self, result):
        if result:
            messages.success(
                self.request,
                _(
                    "The token “%(name)s” is revoked: anything still using it is refused "
                    "from now on."
                )
                % {"name": self.token.name},
            )
        else:
            messages.info(
                self.request,
                _("The token “%(name)s” was already revoked.") % {"name": self.token.name},
            )
        return redirect("accounts:tokens")
