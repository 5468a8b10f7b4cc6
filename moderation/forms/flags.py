"""Flagging a post: why (a guideline rule, spam, or something else in the member's words).
The text length is checked by the service, so every path applies the same rule."""

from django import forms

from moderation.models import Flag
from moderation.rules import FLAG_TEXT_LENGTH, current_rules

LOW, HIGH = FLAG_TEXT_LENGTH


def _rule_choices():
    return [("", "Choose a rule…")] + [
        (code, f"{code} — {rule.title}") for code, rule in current_rules().items()
    ]


class PostFlagForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why should moderators look at this post?",
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose why you are flagging this post.",
            "invalid_choice": "Choose one of the reasons listed.",
        },
    )
    rule_code = forms.ChoiceField(
        label="Which guideline rule does it break?",
        choices=_rule_choices,
        required=False,
        help_text="Only for “Breaks a guideline”.",
        error_messages={
            "invalid_choice": "There is no rule %(value)s in the current guidelines; "
            "choose one from the list."
        },
    )
    text = forms.CharField(
        label="What is wrong?",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Needed for “Something else”: {LOW}–{HIGH} characters. Only moderators "
        "read it; the author is not told who flagged.",
    )

    def clean(self):
        data = super().clean()
        missing_rule = data.get("reason") == Flag.Reason.RULE and not data.get("rule_code")
        if missing_rule and "rule_code" not in self.errors:
            self.add_error("rule_code", "Choose which guideline rule the post breaks.")
        return data
