"""The team's form for assigning a thread."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ThreadAssignForm(forms.Form):
    """Assign a thread to a colleague (or to oneself: the "Assign to me" button sends
    one's own id). The choices are the team; the service has the last word."""

    assignee = forms.TypedChoiceField(
        label=_("Assign to"),
        coerce=int,
        error_messages={
            "required": _("Choose who should look after this thread."),
            "invalid_choice": _(
                "That person is not on the staff team, or no longer is. Choose a colleague "
                "from the list."
            ),
        },
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = {user.pk: user for user in team}
        self.fields["assignee"].choices = [("", _("Choose a colleague…"))] + [
            (user.pk, _label(user)) for user in team
        ]

    def clean_assignee(self):
        return self.team[self.cleaned_data["assignee"]]


def _label(user) -> str:
    return f"{user.public_name} — {user.job_title}" if user.job_title else user.public_name
