"""A member's notification email preference."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

Frequency = User.EmailFrequency


class EmailFrequencyForm(forms.Form):
    email_frequency = forms.ChoiceField(
        label=_("Email me about notifications"),
        choices=[
            (Frequency.IMMEDIATELY, _("Immediately — one email for each notification")),
            (Frequency.DAILY, _("Daily digest — one email a day listing what's new")),
            (Frequency.NEVER, _("Never — I'll check the bell on the site")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often we may email you.")},
        help_text=_("In-app notifications (the bell) always appear, whatever you choose."),
    )
