"""Staff forms for moving a thread to another board and merging it into another thread."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.selectors.moving import thread_id_from_reference


class ThreadMoveForm(forms.Form):
    board = forms.ModelChoiceField(
        label=_("Move to board"),
        queryset=None,
        empty_label=_("Choose a board…"),
        error_messages={
            "required": _("Choose the board this thread belongs on."),
            "invalid_choice": _("That board can't take threads. Choose one from the list."),
        },
    )

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards


class ThreadMergeForm(forms.Form):
    target = forms.CharField(
        label=_("Merge into thread"),
        max_length=300,
        help_text=_("The number of the thread that stays, or its address, e.g. 123 or /t/123/."),
        error_messages={"required": _("Give the number or the address of the thread that stays.")},
    )

    def clean_target(self) -> int:
        thread_id = thread_id_from_reference(self.cleaned_data["target"])
        if thread_id is None:
            raise forms.ValidationError(
                _("Give a thread number such as 123, or an address such as /t/123/.")
            )
        return thread_id
