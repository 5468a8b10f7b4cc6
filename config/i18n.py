"""Helpers for text that is built at import time but read in the reader's language."""

from django.utils.formats import number_format
from django.utils.functional import lazy


def _grouped(value: int) -> str:
    return number_format(value, force_grouping=True)


# A count in the active language's grouping ("20,000", « 20 000 »), worked out when shown.
grouped_number = lazy(_grouped, str)
