"""The language a member reads in when no browser is asking (emails, background tasks)."""

import contextlib

from django.conf import settings
from django.utils import translation


def member_language(user) -> str:
    """The member's own language setting, else the site's."""
    chosen = getattr(user, "language", "") or ""
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


@contextlib.contextmanager
def in_language_of(user):
    """Everything rendered inside (subjects, bodies, dates) is in the member's language."""
    with translation.override(member_language(user)):
        yield
