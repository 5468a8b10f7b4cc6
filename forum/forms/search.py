"""The search page's form (the search feeds read it too) and the staff's keyword watch
form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forum import search as forum_search
from forum.dates import validate_site_date
from forum.services import keywords


class SearchForm(forms.Form):
    """The search page's form (GET). The search feeds read the same form, so a feed
    always matches the page it was found on."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        strip=True,
        help_text=_(
            'Words to find. "Quotes" for an exact phrase, OR for either word, '
            "-word to leave a word out."
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    board = forms.ChoiceField(label=_("Board"), required=False)
    author = forms.CharField(
        label=_("Author"),
        required=False,
        max_length=150,
        help_text=_("A username."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_from = forms.DateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_site_date],
    )
    date_to = forms.DateField(
        label=pgettext_lazy("date range", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_site_date],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=forum_search.STATUS_CHOICES
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].choices = [("", _("All boards")), *forum_search.board_choices()]

    def clean_q(self) -> str:
        try:
            return forum_search.clean_query(self.cleaned_data.get("q"))
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["q"]) from exc

    def clean_author(self) -> str:
        return (self.cleaned_data.get("author") or "").strip().lstrip("@")

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end date is before the start date. Swap them?"))
        return cleaned

    def search_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "query": data["q"],
            "board": data.get("board") or None,
            "author": data.get("author") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "status": data.get("status") or None,
        }


class KeywordWatchForm(forms.Form):
    term = forms.CharField(
        label=_("Word or phrase to watch"),
        required=False,
        strip=True,
        help_text=format_lazy(
            _("{min}–{max} characters. Whole words only; case and accents don't matter."),
            min=keywords.TERM_MIN,
            max=keywords.TERM_MAX,
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
