"""Deciding and escalating review items. The services check rules, durations and reasons
again; the form says what is missing next to the field before anything is attempted."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from moderation.forms.fields import BlockDurationField, NoteField, RuleChoiceField
from moderation.models import ReviewItem
from moderation.rules import BLOCK_DURATIONS

Decision = ReviewItem.Decision

POST_DECISIONS = [
    (Decision.APPROVE, _("Approve / dismiss the flags — the post stays up")),
    (Decision.HIDE, _("Hide the post from readers")),
    (Decision.BLOCK, _("Block the author for a while (and leave the post as it is)")),
    (Decision.SPAM, _("Delete as spam — hides all their posts and bans the account")),
]
HELD_DECISIONS = [
    (Decision.APPROVE, _("Approve — publish it now, as if just posted (teaches the filter)")),
    (
        Decision.SPAM,
        _("Delete as spam — keeps it hidden, hides all their posts and bans the account"),
    ),
]
APPEAL_DECISIONS = [
    (Decision.UPHOLD, _("Uphold — the action stands")),
    (Decision.REVERSE, _("Reverse — undo the action exactly")),
]
# Decisions that act on the member: the member must be told which rule.
NEEDS_RULE = {Decision.HIDE, Decision.BLOCK, Decision.SPAM}


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    also_block = forms.BooleanField(
        required=False,
        label=_("Also block the author"),
        help_text=_(
            "With “Hide the post”: the author is blocked too, under the same rules, for "
            "the duration below. Each is logged and can be reversed on its own."
        ),
    )
    rules = RuleChoiceField(
        required=False,
        help_text=_(
            "Needed for every decision except approve. The member sees each rule you "
            "cite, in plain words, with a link."
        ),
    )
    duration = BlockDurationField(
        required=False,
        initial="1d",
        help_text=_(
            "Only for blocking the author. If they are already blocked, this is added "
            "to the block they have."
        ),
    )
    note = NoteField(
        label=_("Note to the member"),
        help_text=_(
            "Needed when you block (it is the reason they read); optional otherwise. "
            "The member reads it with the rule and how to appeal."
        ),
    )

    def __init__(self, *args, item: ReviewItem, suggested_duration: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        if "rules" in self.fields:
            self.fields["rules"].error_messages["invalid_choice"] = gettext(
                "There is no rule %(value)s in the current guidelines; tick the rules listed."
            )
        if "duration" in self.fields:
            durations = ", ".join(str(label) for label, _length in BLOCK_DURATIONS.values())
            self.fields["duration"].error_messages["invalid_choice"] = gettext(
                "Choose one of the durations listed: %(durations)s."
            ) % {"durations": durations}
        field = self.fields["decision"]
        if item.kind == ReviewItem.Kind.APPEAL:
            field.choices = APPEAL_DECISIONS
            # An appeal's outcome keeps the rules of the action appealed against.
            del self.fields["rules"]
            del self.fields["duration"]
            del self.fields["also_block"]
            self.fields["note"].help_text = gettext(
                "Optional. The member is told the outcome either way, with this note."
            )
        elif item.kind == ReviewItem.Kind.HELD_POST:
            field.choices = HELD_DECISIONS
            del self.fields["duration"]
            del self.fields["also_block"]
        else:
            field.choices = POST_DECISIONS
            if suggested_duration in BLOCK_DURATIONS:
                self.fields["duration"].initial = suggested_duration
        labels = ", ".join(f"“{str(label).split(' — ')[0]}”" for _key, label in field.choices)
        field.error_messages = {
            "required": gettext("Choose a decision."),
            "invalid_choice": gettext("That is not a decision here. Choose one of: %(labels)s.")
            % {"labels": labels},
        }

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        missing_rules = decision in NEEDS_RULE and "rules" in self.fields and not data.get("rules")
        if missing_rules and "rules" not in self.errors:
            self.add_error("rules", self.fields["rules"].error_messages["required"])
        blocking = decision == Decision.BLOCK or (
            decision == Decision.HIDE and data.get("also_block")
        )
        if data.get("also_block") and decision not in (Decision.HIDE, Decision.BLOCK):
            self.add_error(
                "also_block",
                gettext(
                    "“Also block the author” goes with “Hide the post”; untick it for this "
                    "decision."
                ),
            )
        if blocking:
            if not data.get("duration") and "duration" not in self.errors:
                self.add_error("duration", gettext("Choose how long the block lasts."))
            if not (data.get("note") or "").strip() and "note" not in self.errors:
                self.add_error(
                    "note",
                    gettext("Write why you are blocking them: the member reads it as the reason."),
                )
        return data


class EscalateForm(forms.Form):
    note = NoteField(
        label=_("Note for the admins"),
        help_text=_("Optional. Why this needs an admin; it is kept in the moderation log."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
