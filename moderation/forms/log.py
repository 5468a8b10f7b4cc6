"""Forms for the moderation log."""

from django import forms


class ActionReverseForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with the reversal in the moderation log.",
    )
