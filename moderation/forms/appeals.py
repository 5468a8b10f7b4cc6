"""Appealing a moderation action. The length rule (20–2,000 characters) lives in the
service, so the form only collects the text and shows the service's words beside it."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from moderation.formatting import grouped_lazy
from moderation.rules import APPEAL_TEXT_LENGTH

LOW, HIGH = APPEAL_TEXT_LENGTH


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Your appeal"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy(
            _(
                "{low}–{high} characters. Say what you think moderators got wrong, or what they "
                "did not know. A moderator other than the one who acted decides, and you are "
                "told the outcome either way."
            ),
            low=LOW,
            high=grouped_lazy(HIGH),
        ),
    )
