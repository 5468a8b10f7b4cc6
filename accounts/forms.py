import zoneinfo

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import BIO_MAX, DISPLAY_NAME_MAX


def _time_zone_choices():
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")
    return [(zone, zone.replace("_", " ")) for zone in zones]


def _language_choices():
    # Each language is named in its own words: a reader who cannot read the current one
    # still finds theirs.
    return [("", _("Same as my browser")), *settings.LANGUAGES]


class ProfileForm(forms.Form):
    """Length is checked by the service, not by a maxlength attribute, so nothing a person
    pastes is cut off silently."""

    display_name = forms.CharField(
        required=False,
        label=_("Display name"),
        help_text=format_lazy(
            _("Shown next to your posts instead of your username. Up to {max} characters."),
            max=DISPLAY_NAME_MAX,
        ),
    )
    bio = forms.CharField(
        required=False,
        label=_("About you"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=format_lazy(
            _("A few words for your public profile. Up to {max} characters."), max=BIO_MAX
        ),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_time_zone_choices,
        initial="UTC",
        help_text=_("Dates and times we send you (for example when a block ends) use this zone."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=_language_choices,
        required=False,
        help_text=_("The language of the site's pages and of the emails we send you."),
    )


class _EmptyTextInput(forms.TextInput):
    """Renders no value: a form shown again after a filled honeypot has it empty, so a
    person whose browser filled it by mistake can simply send the form again."""

    def format_value(self, value):
        return None


HONEYPOT_REFUSAL = _(
    "We couldn't create your account from this form. Please check your details and press "
    "Sign up again; if it keeps happening, write to us through the Help page."
)


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (ACCOUNT_FORMS) with a honeypot: a field people never see
    (templates/account/_signup_form.html puts it off-screen with a CSS class) and bots, which
    fill in every input, do. A filled one refuses the sign-up before anything is saved or
    mailed, with a message that tells a bot nothing. allauth's own honeypot setting is not
    used: it hides the field with a style attribute, which the Content-Security-Policy
    refuses, and answers "verification sent" to a person it mistook for a bot."""

    honeypot_name = "website"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.honeypot_name] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=_EmptyTextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get(self.honeypot_name) or "").strip())

    def clean(self):
        if self.is_bot:
            # Generic on purpose: nothing says which field gave the bot away.
            raise forms.ValidationError(HONEYPOT_REFUSAL, code="honeypot")
        return super().clean()


class ThemeForm(forms.Form):
    """The colour scheme, from the settings page or the header's quick control; ``next``
    brings the member back to the page they chose it on."""

    theme = forms.ChoiceField(
        label=_("Theme"),
        choices=[
            ("auto", _("Auto (same as my device)")),
            ("light", _("Light")),
            ("dark", _("Dark")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose Auto, Light or Dark."),
            "invalid_choice": _("Choose Auto, Light or Dark."),
        },
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
