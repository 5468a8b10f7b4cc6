"""Flagging a post: why (a guideline rule, spam, or something else in the member's words).
The text length is checked by the service, so every path applies the same rule."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from moderation.models import Flag
from moderation.rules import FLAG_TEXT_LENGTH, current_rules

LOW, HIGH = FLAG_TEXT_LENGTH


def _rule_choices():
    return [("", gettext("Choose a rule…"))] + [
        (code, f"{code} — {rule.title}") for code, rule in current_rules().items()
    ]


class PostFlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should moderators look at this post?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose why you are flagging this post."),
            "invalid_choice": _("Choose one of the reasons listed."),
        },
    )
    rule_code = forms.ChoiceField(
        label=_("Which guideline rule does it break?"),
        choices=_rule_choices,
        required=False,
        help_text=_("Only for “Breaks a guideline”."),
        error_messages={
            "invalid_choice": _(
                "There is no rule %(value)s in the current guidelines; choose one from the list."
            )
        },
    )
    text = forms.CharField(
        label=_("What is wrong?"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=format_lazy(
            _(
                "Needed for “Something else”: {low}–{high} characters. Only moderators read it; "
                "the author is not told who flagged."
            ),
            low=LOW,
            high=HIGH,
        ),
    )

    def clean(self):
        data = super().clean()
        missing_rule = data.get("reason") == Flag.Reason.RULE and not data.get("rule_code")
        if missing_rule and "rule_code" not in self.errors:
            self.add_error("rule_code", gettext("Choose which guideline rule the post breaks."))
        return data
