"""Roles and what each one may do. Badges and powers are derived from here, never from
anything a member can type."""

from django.db import models


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    STAFF = "staff", "Staff"
    MODERATOR = "moderator", "Moderator"
    ADMIN = "admin", "Admin"


MODERATING_ROLES = frozenset({Role.MODERATOR, Role.ADMIN})
