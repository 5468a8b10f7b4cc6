"""The team's form for a private staff note. No maxlength: the service says how long is
too long and keeps the text."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from config.i18n import grouped_number
from forum.models.staff import NOTE_MAX


class StaffNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Staff note"),
        strip=False,
        help_text=format_lazy(
            _("Markdown, up to {max} characters. Only staff and moderators see it."),
            max=grouped_number(NOTE_MAX),
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("The note is empty. Write what the team should know, then save it.")
        },
    )

    def __init__(self, *args, **kwargs):
        # The thread page holds the reply form too: its own ids keep each label on its box.
        kwargs.setdefault("auto_id", "id_note_%s")
        super().__init__(*args, **kwargs)
