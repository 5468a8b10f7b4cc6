"""django-filter FilterSets for moderation lists, one module per list."""

from moderation.filters.log import ActionLogFilter
from moderation.filters.queue import ReviewItemFilter

__all__ = ["ActionLogFilter", "ReviewItemFilter"]
