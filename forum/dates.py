"""The dates a person can mean on this site, for every form and filter that reads one."""

from datetime import date, datetime

from django.core.exceptions import ValidationError

# Every date anyone means here lies well inside these bounds. Python's own dates stop at
# 0001-01-01 and 9999-12-31, where adding a day or applying a time zone overflows into a
# server error, so forms refuse dates outside them with a field error instead.
EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(2999, 12, 31)
DATE_RANGE_MESSAGE = f"Enter a date between {EARLIEST_DATE} and {LATEST_DATE}."


def validate_site_date(value) -> None:
    """A validator for date and datetime fields (``validators=[validate_site_date]``)."""
    day = value.date() if isinstance(value, datetime) else value
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")
