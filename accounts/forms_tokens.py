"""Forms of the API tokens settings page: creating a token, and confirming a revocation."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access_tokens import SCOPE_ORDER, Scope, scopes_for

SCOPE_HELP = {
    Scope.READ: _("See boards, threads, posts, profiles, search and notices, as you see them."),
    Scope.WRITE: _(
        "Also start threads, reply, flag posts, accept answers and set statuses, as you may "
        "on the site."
    ),
    Scope.MODERATE: _("Also work the review queue and take the moderation actions you may take."),
}


class AccessTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use it, so you know later: “Status page sync”, “My laptop”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Give the token a name, so you know later what uses it.")},
    )
    scope = forms.ChoiceField(
        label=_("What it may do"),
        choices=[(scope.value, scope.label) for scope in SCOPE_ORDER],
        initial=Scope.READ.value,
        widget=forms.RadioSelect,
    )
    # One value per rendered form: sending the same form twice (a double click, a reload
    # of the result) creates one token, not two.
    once = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Every scope is valid input, so a scope the member may not grant reaches the
        # service and is refused beside the field in its words; only theirs are offered.
        allowed = set(scopes_for(user))
        self.fields["scope"].widget.choices = [
            (scope.value, scope.label) for scope in SCOPE_ORDER if scope in allowed
        ]
        if not self.is_bound:
            self.initial["once"] = secrets.token_urlsafe(16)

    @property
    def scope_options(self) -> list[tuple[forms.BoundField, str]]:
        return [(radio, SCOPE_HELP[radio.data["value"]]) for radio in self["scope"]]


class AccessTokenRevokeForm(forms.Form):
    """Nothing to fill in: the button is the confirmation."""
