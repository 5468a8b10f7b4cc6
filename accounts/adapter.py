"""allauth customisation, in the one place allauth expects it (CONVENTIONS rule 10)."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.core.exceptions import ValidationError

from accounts.services import validate_public_name


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username, shallow=False):
        username = super().clean_username(username, shallow=shallow)
        try:
            validate_public_name(user=None, name=username, field="username")
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return username
