"""Hiding a post and restoring it: the rule cited and the note the author reads."""

from django import forms

from moderation.forms.fields import NoteField, RuleChoiceField


class PostHideForm(forms.Form):
    rules = RuleChoiceField()
    note = NoteField(
        help_text="Optional. The author reads it with the rule and the link to appeal; "
        "moderators see it in the log."
    )


class PostRestoreForm(forms.Form):
    note = NoteField(
        help_text="Optional. The author is told their post is visible again, with this note."
    )
