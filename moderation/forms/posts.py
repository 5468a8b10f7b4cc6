"""Hiding a post and restoring it: the rule cited and the note the author reads."""

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.forms.fields import NoteField, RuleChoiceField


class PostHideForm(forms.Form):
    rules = RuleChoiceField()
    note = NoteField(
        help_text=_(
            "Optional. The author reads it with the rule and the link to appeal; "
            "moderators see it in the log."
        )
    )


class PostRestoreForm(forms.Form):
    note = NoteField(
        help_text=_("Optional. The author is told their post is visible again, with this note.")
    )
