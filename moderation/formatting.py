"""Words and times as the member reads them: rules in plain words, times in their zone."""

from datetime import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from accounts.timezones import member_zone  # noqa: F401 - re-exported for callers
from moderation.rules import current_rules


def format_when(when: datetime | None, user) -> str:
    """'25 Nov 2026, 14:00 (Europe/Paris)' in the reader's own time zone."""
    if when is None:
        return _("until lifted")
    zone = member_zone(user)
    local = timezone.localtime(when, zone)
    # The pattern is Django's date format, translated so each language orders and spells
    # the date its own way.
    pattern = pgettext("date format of moderation times", "j M Y, H:i")
    return f"{date_format(local, pattern)} ({zone.key})"


def grouped(number: int) -> str:
    """'2,000' in English, '2 000' in French: the reader's own digit grouping."""
    return number_format(number, force_grouping=True)


# For texts built once at import (form help texts), grouped when they are shown.
grouped_lazy = lazy(grouped, str)


def rule_phrase(codes: list[str]) -> str:
    """'G3 (Argue with ideas, not with people)' for each cited rule."""
    rules = current_rules()
    parts = []
    for code in codes:
        rule = rules.get(code)
        parts.append(f"{code} ({rule.title})" if rule else code)
    if not parts:
        return _("the community guidelines")
    return ngettext("rule %(rules)s", "rules %(rules)s", len(parts)) % {"rules": ", ".join(parts)}
