"""Roles and what each one may do. Badges and powers are derived from here, never from
anything a member can type."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    STAFF = "staff", _("Staff")
    MODERATOR = "moderator", _("Moderator")
    ADMIN = "admin", _("Admin")


MODERATING_ROLES = frozenset({Role.MODERATOR, Role.ADMIN})


def employee_q(prefix: str = "") -> models.Q:
    """SQL for ``User.is_employee`` (the Staff badge): the staff role, or a moderator or
    admin with a job title. ``prefix`` reaches the user through a relation ("author__")."""
    return models.Q(**{f"{prefix}role": Role.STAFF}) | (
        models.Q(**{f"{prefix}role__in": list(MODERATING_ROLES)})
        & ~models.Q(**{f"{prefix}job_title": ""})
    )


def staff_team_q(prefix: str = "") -> models.Q:
    """The people staff pages and staff mail are for: employees and site admins."""
    return employee_q(prefix) | models.Q(**{f"{prefix}role": Role.ADMIN})
