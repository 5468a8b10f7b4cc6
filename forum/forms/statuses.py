"""The staff's status form for bugs and ideas."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forum.models import Board, Thread
from forum.services import statuses as status_services


class ThreadStatusForm(forms.Form):
    """Staff set a bug's or an idea's status. The choices are the board's statuses; the
    service has the last word on every rule (a reason for ideas, the duplicate's board)."""

    status = forms.ChoiceField(label=_("Status"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    duplicate_of = forms.IntegerField(
        label=_("Duplicate of bug #"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "e.g. 123"}),
        help_text=_("Only for Duplicate: the number of the bug thread this one repeats."),
        error_messages={
            "invalid": _("Enter the bug thread's number, e.g. 123 for /t/123/."),
            "min_value": _("Enter the bug thread's number, e.g. 123 for /t/123/."),
        },
    )

    def __init__(self, *args, thread: Thread, **kwargs):
        super().__init__(*args, **kwargs)
        board = thread.board
        allowed = status_services.allowed_statuses(board)
        self.fields["status"].choices = [(s.value, s.label) for s in allowed]
        self.fields["status"].error_messages["invalid_choice"] = (
            "Choose one of the statuses in the list."
        )
        if board.kind == Board.Kind.IDEAS:
            self.fields["reason"].label = "Reason (shown with the status)"
            self.fields["reason"].help_text = gettext(
                "Required: why this status, in a sentence or two. Up to %(max)s characters."
            ) % {"max": number_format(Thread.STATUS_REASON_MAX, force_grouping=True)}
            del self.fields["duplicate_of"]
        else:
            self.fields["reason"].label = "Note (optional)"
            self.fields["reason"].help_text = gettext(
                "Shown in the thread with the change. Up to %(max)s characters."
            ) % {"max": number_format(Thread.STATUS_REASON_MAX, force_grouping=True)}
