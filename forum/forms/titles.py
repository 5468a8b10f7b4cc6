"""The title field of every form that writes a thread title. A title typed as spaces (or
characters that show nothing) is told apart from one left empty, so the person learns why
what they typed did not count."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forum.services.validation import without_control_chars

SPACES_ONLY = _("Write a title — spaces alone don't count.")


class TitleField(forms.CharField):
    default_error_messages = {"spaces_only": SPACES_ONLY}

    def clean(self, value):
        if isinstance(value, str) and value and not without_control_chars(value).split():
            raise ValidationError(self.error_messages["spaces_only"], code="spaces_only")
        return super().clean(value)
