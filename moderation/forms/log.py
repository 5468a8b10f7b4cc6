"""Forms for the moderation log."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ActionReverseForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with the reversal in the moderation log."),
    )
