"""Form fields every moderation form shares."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from moderation.formatting import grouped
from moderation.rules import BLOCK_DURATIONS, current_rules

NOTE_MAX = 2000


class RuleChoiceField(forms.MultipleChoiceField):
    """Checkboxes for the current guideline rules ("G3 — Argue with ideas…"). The service
    checks the codes again, so a stale form cannot cite a rule that no longer exists.
    Blank values are dropped, so a stray empty value reads as "cite a rule"."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, required=True, **kwargs):
        kwargs.setdefault("label", _("Guideline rules cited"))
        kwargs.setdefault(
            "help_text", _("The member sees each rule you cite, in plain words, with a link.")
        )
        super().__init__(*args, choices=self._choices, required=required, **kwargs)
        self.error_messages["required"] = _(
            "Cite at least one guideline rule so the member knows why."
        )
        self.error_messages["invalid_choice"] = _(
            "There is no rule %(value)s in the current guidelines: tick one of the rules listed."
        )

    def to_python(self, value):
        return [code for code in super().to_python(value) if code.strip()]

    @staticmethod
    def _choices():
        return [(code, f"{code} — {rule.title}") for code, rule in current_rules().items()]


class BlockDurationField(forms.ChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Duration"))
        super().__init__(
            *args,
            choices=[(key, label) for key, (label, _length) in BLOCK_DURATIONS.items()],
            **kwargs,
        )


class NoteField(forms.CharField):
    """An optional note to the member. The length is checked here with a message rather
    than a maxlength attribute, so a long paste is never cut silently."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Note to the member"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if len(value) > NOTE_MAX:
            raise forms.ValidationError(
                gettext("Keep the note under %(max)s characters (this one has %(count)s).")
                % {"max": grouped(NOTE_MAX), "count": grouped(len(value))}
            )
        return value
