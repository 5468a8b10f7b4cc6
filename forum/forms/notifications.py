"""A member's notification email preference."""

from django import forms

from accounts.models import User

Frequency = User.EmailFrequency


class EmailFrequencyForm(forms.Form):
    email_frequency = forms.ChoiceField(
        label="Email me about notifications",
        choices=[
            (Frequency.IMMEDIATELY, "Immediately — one email for each notification"),
            (Frequency.DAILY, "Daily digest — one email a day listing what's new"),
            (Frequency.NEVER, "Never — I'll check the bell on the site"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often we may email you."},
        help_text="In-app notifications (the bell) always appear, whatever you choose.",
    )
