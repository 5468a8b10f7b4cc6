"""The JSON API under /api/v1/ (django-ninja): one router per subject, mounted by
``forum.api.site``."""

from forum.api.site import api

__all__ = ["api"]
