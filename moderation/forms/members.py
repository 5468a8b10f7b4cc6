"""Forms for a member's case page: notes, blocks, lifting blocks, deleting as spam.

Forms collect input and put errors next to their fields; the rules themselves (rule codes,
reason length, what happens when a member is already blocked) live in moderation.services,
whose ValidationErrors the views attach to these same fields."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from moderation.forms.fields import BlockDurationField, RuleChoiceField

ON_EXISTING_CHOICES = [
    ("extend", _("Extend the current block (add this duration to its end)")),
    ("replace", _("Replace it (end the current block now and start this one)")),
]


class ModeratorNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Private note for moderators"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only moderators see notes. The member is not told."),
    )


class MemberBlockForm(forms.Form):
    duration = BlockDurationField(
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how long the block lasts."),
            "invalid_choice": _(
                "Choose one of the durations listed: 1 hour, 1 day, 3 days, "
                "7 days, 30 days or until lifted."
            ),
        },
    )
    rules = RuleChoiceField()
    reason = forms.CharField(
        label=_("Reason"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to the member, with the rules you cite and how to appeal."),
        error_messages={"required": _("Write a short reason: the member will read it.")},
    )
    on_existing = forms.ChoiceField(
        label=_("They are already blocked"),
        choices=ON_EXISTING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether to extend the current block or replace it."),
            "invalid_choice": _("Choose whether to extend the current block or replace it."),
        },
    )

    def __init__(self, *args, current_block=None, current_until: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if current_block is None:
            # Not blocked: nothing to extend or replace. The service still refuses a
            # silent duplicate if a block appears between the page load and the POST.
            self.fields["on_existing"].required = False
            self.fields["on_existing"].widget = forms.HiddenInput()
        else:
            # The first decision when they are already blocked: extend or replace.
            self.order_fields(["on_existing", "duration", "rules", "reason"])
            self.fields["on_existing"].help_text = gettext(
                "Their current block runs %(until)s. Extending keeps its rules and "
                "reason and pushes its end back; replacing lifts it and starts a new one."
            ) % {"until": current_until}


class BlockLiftForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the member (optional)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member is told the block is lifted; this note is added to the message."),
    )


class MemberSpamForm(forms.Form):
    rules = RuleChoiceField()
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the moderation log with the ban."),
    )
