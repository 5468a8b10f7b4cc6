"""Form fields every moderation form shares."""

from django import forms

from moderation.rules import BLOCK_DURATIONS, current_rules


class RuleChoiceField(forms.MultipleChoiceField):
    """Checkboxes for the current guideline rules ("G3 — Argue with ideas…"). The service
    checks the codes again, so a stale form cannot cite a rule that no longer exists."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, required=True, **kwargs):
        kwargs.setdefault("label", "Guideline rules cited")
        kwargs.setdefault(
            "help_text", "The member sees each rule you cite, in plain words, with a link."
        )
        super().__init__(*args, choices=self._choices, required=required, **kwargs)
        self.error_messages["required"] = (
            "Cite at least one guideline rule so the member knows why."
        )

    @staticmethod
    def _choices():
        return [(code, f"{code} — {rule.title}") for code, rule in current_rules().items()]


class BlockDurationField(forms.ChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Duration")
        super().__init__(
            *args,
            choices=[(key, label) for key, (label, _) in BLOCK_DURATIONS.items()],
            **kwargs,
        )
