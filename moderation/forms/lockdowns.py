"""Locking a thread or board, or slowing it down, and lifting that again."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.timezones import member_zone
from forum.forms import LocalDateTimeField
from moderation.formatting import format_when, grouped, grouped_lazy
from moderation.forms.fields import NoteField, RuleChoiceField
from moderation.models import Lockdown
from moderation.rules import SLOW_MODE_MINUTES

GO_INSTEAD_MAX = 300  # Lockdown.go_instead
REASON_MAX = 2000


class LockdownForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What to do"),
        widget=forms.RadioSelect,
        choices=[
            (
                Lockdown.Kind.LOCK,
                _(
                    "Lock: no new posts from members; reading continues (staff and moderators "
                    "can still post, marked “Posted during lock”)"
                ),
            ),
            (Lockdown.Kind.SLOW, _("Slow mode: one post per member every N minutes")),
        ],
        error_messages={"required": _("Choose whether to lock or to slow things down.")},
    )
    slow_minutes = forms.IntegerField(
        label=_("Slow mode: minutes between posts"),
        required=False,
        help_text=format_lazy(
            _("{low} to {high} (one day). Needed for slow mode only."),
            low=SLOW_MODE_MINUTES[0],
            high=grouped_lazy(SLOW_MODE_MINUTES[1]),
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Write the number of minutes as a whole number, e.g. 15.")},
    )
    rules = RuleChoiceField()
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown in the banner to everyone who opens it. Say what is going on, "
            "without naming anyone."
        ),
        error_messages={"required": _("Write a short reason: everyone who opens it will read it.")},
    )
    ends_at = LocalDateTimeField(
        label=_("Reopen automatically at"),
        required=False,
        error_messages={"invalid": _("Enter a date and time, e.g. 2026-11-25 18:00.")},
    )
    go_instead = forms.CharField(
        label=_("Where to go meanwhile"),
        required=False,
        help_text=_(
            "Optional, e.g. “Follow the status page at /status/” or a link to another thread."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        """``user`` is the moderator: the reopen time is read in their time zone."""
        super().__init__(*args, **kwargs)
        self.user = user
        zone = member_zone(user)
        self.fields["ends_at"].zone = zone
        self.fields["ends_at"].help_text = gettext(
            "Optional, in your time zone (%(zone)s). At that moment the lock or slow mode "
            "ends by itself; leave empty to keep it until a moderator lifts it."
        ) % {"zone": zone.key}

    def clean_reason(self):
        reason = self.cleaned_data["reason"]
        if len(reason) > REASON_MAX:
            raise forms.ValidationError(
                gettext("Keep the reason under %(max)s characters (this one has %(count)s).")
                % {"max": grouped(REASON_MAX), "count": grouped(len(reason))}
            )
        return reason

    def clean_go_instead(self):
        text = self.cleaned_data["go_instead"]
        if len(text) > GO_INSTEAD_MAX:
            raise forms.ValidationError(
                gettext("Keep this under %(max)s characters (this one has %(count)s).")
                % {"max": GO_INSTEAD_MAX, "count": len(text)}
            )
        return text

    def clean_ends_at(self):
        when = self.cleaned_data["ends_at"]
        if when is not None and when <= timezone.now():
            now = format_when(timezone.now(), self.user)
            raise forms.ValidationError(
                gettext("The reopen time must be in the future; it is now %(now)s.") % {"now": now}
            )
        return when

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Lockdown.Kind.SLOW and "slow_minutes" not in self.errors:
            minutes = cleaned.get("slow_minutes")
            low, high = SLOW_MODE_MINUTES
            if minutes is None:
                self.add_error("slow_minutes", gettext("Slow mode needs a number of minutes."))
            elif not low <= minutes <= high:
                self.add_error(
                    "slow_minutes",
                    gettext(
                        "Choose from %(low)s to %(high)s minutes (one day); you wrote %(count)s."
                    )
                    % {"low": low, "high": grouped(high), "count": minutes},
                )
        return cleaned


class LockdownLiftForm(forms.Form):
    note = NoteField(
        label=_("Note"),
        help_text=_("Optional. Kept in the moderation log with the lift."),
    )
