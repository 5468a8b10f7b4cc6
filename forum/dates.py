"""The dates a person can mean on this site, for every form and filter that reads one, and
how long ago something happened, in words."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.timesince import timesince
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# Every date anyone means here lies well inside these bounds. Python's own dates stop at
# 0001-01-01 and 9999-12-31, where adding a day or applying a time zone overflows into a
# server error, so forms refuse dates outside them with a field error instead.
EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(2999, 12, 31)
DATE_RANGE_MESSAGE = format_lazy(
    _("Enter a date between {earliest} and {latest}."), earliest=EARLIEST_DATE, latest=LATEST_DATE
)


def validate_site_date(value) -> None:
    """A validator for date and datetime fields (``validators=[validate_site_date]``)."""
    day = value.date() if isinstance(value, datetime) else value
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


JUST_NOW = pgettext_lazy("time", "just now")


def time_elapsed(value: datetime, *, now: datetime | None = None) -> str:
    """How long ago ``value`` was, in its two largest units ("3 hours, 5 minutes"), or
    "just now" under a minute: "0 minutes" reads as a glitch. A moment slightly in the
    future (another server's clock) is "just now" too."""
    now = now or timezone.now()
    if now - value < timedelta(minutes=1):
        return str(JUST_NOW)
    return timesince(value, now=now)


def time_ago(value: datetime, *, now: datetime | None = None) -> str:
    """How long ago, "3 hours, 5 minutes ago" ("il y a 3 heures, 5 minutes"), or "just
    now", in the active language."""
    now = now or timezone.now()
    if now - value < timedelta(minutes=1):
        return str(JUST_NOW)
    return gettext("%(elapsed)s ago") % {"elapsed": timesince(value, now=now)}
