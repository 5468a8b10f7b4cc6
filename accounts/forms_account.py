"""Forms of the "Your data" settings page: asking for an export, and deleting the
account."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A member without a password (signed in through single sign-on) confirms a deletion by
# having signed in this recently instead.
RECENT_SIGN_IN = timedelta(minutes=15)
# Wrong passwords on this form per member per hour: a session left open (or stolen) must not
# become a way to guess the password.
WRONG_PASSWORDS_PER_HOUR = 5


class DataExportRequestForm(forms.Form):
    """Nothing to fill in: the button is the request."""


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To be sure it is you asking."),
    )
    erase_posts = forms.BooleanField(
        label=_("Also erase the text of my posts"),
        required=False,
        help_text=_(
            "Each post's text and its earlier versions are replaced by a note that it was "
            "erased. Threads stay, so replies to you still read in order."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]
        if not settings.ACCOUNT_DELETION_ALLOW_ERASE_POSTS:
            del self.fields["erase_posts"]

    @property
    def needs_recent_sign_in(self) -> bool:
        return "password" not in self.fields

    def clean_password(self):
        password = self.cleaned_data.get("password") or ""
        if not password:
            raise forms.ValidationError(_("Type your password to confirm."))
        key = f"accounts:delete-wrong-password:{self.user.pk}"
        if cache.get(key, 0) >= WRONG_PASSWORDS_PER_HOUR:
            raise forms.ValidationError(
                _(
                    "Too many wrong passwords. Try again in an hour, or reset your password "
                    "from the sign-in page."
                )
            )
        if not self.user.check_password(password):
            cache.add(key, 0, timeout=3600)
            cache.incr(key)
            raise forms.ValidationError(
                _("That is not your password. Type it again, or reset it from the sign-in page.")
            )
        return password

    def clean(self):
        cleaned = super().clean()
        if self.needs_recent_sign_in:
            last = self.user.last_login
            if last is None or last < timezone.now() - RECENT_SIGN_IN:
                raise forms.ValidationError(
                    _(
                        "Your account has no password, so please sign out and sign in again, "
                        "then come back here within 15 minutes to confirm."
                    )
                )
        return cleaned
