"""Hiding a post and restoring it: the rule cited and the note the author reads."""

from django import forms

from moderation.forms.fields import RuleChoiceField

NOTE_MAX = 2000


class CitedRulesField(RuleChoiceField):
    """RuleChoiceField, with blank values dropped (so a stray empty value reads as "cite a
    rule", not as an unknown rule) and an unknown code named in plain words. Both belong in
    RuleChoiceField itself; kept here until moderation/forms/fields.py takes them."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": "There is no rule %(value)s in the current guidelines: "
                "tick one of the rules listed."
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return [code for code in super().to_python(value) if code.strip()]


class NoteField(forms.CharField):
    """An optional note to the member. The length is checked here with a message rather
    than a maxlength attribute, so a long paste is never cut silently."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Note to the member")
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if len(value) > NOTE_MAX:
            raise forms.ValidationError(
                f"Keep the note under {NOTE_MAX:,} characters (this one has {len(value):,})."
            )
        return value


class PostHideForm(forms.Form):
    rules = CitedRulesField()
    note = NoteField(
        help_text="Optional. The author reads it with the rule and the link to appeal; "
        "moderators see it in the log."
    )


class PostRestoreForm(forms.Form):
    note = NoteField(
        help_text="Optional. The author is told their post is visible again, with this note."
    )
