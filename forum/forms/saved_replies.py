"""The saved reply form. Lengths are the service's rules, so the form only collects."""

from django import forms
from django.utils.translation import gettext_lazy as _

SCOPE_CHOICES = [
    ("team", _("The whole team: every staff member can use and change it")),
    ("personal", _("Only me")),
]


class SavedReplyForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        help_text=_("What you'll type to find it in the reply box, e.g. “Password reset”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Reply text"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown, with the placeholders listed on this page."),
    )
    scope = forms.ChoiceField(
        label=_("Who can use it"), choices=SCOPE_CHOICES, widget=forms.RadioSelect, initial="team"
    )
