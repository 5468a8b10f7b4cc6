"""Every change to a user goes through here (CONVENTIONS rule 1)."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from accounts.models import BIO_MAX, DISPLAY_NAME_MAX, User
from accounts.roles import Role
from accounts.selectors import employee_names
from accounts.validators import validate_member_name


def validate_public_name(*, user: User | None, name: str, field: str) -> None:
    """Members may not take a name that passes for staff. Employees, moderators and admins
    carry a server-rendered badge, so their names are not policed."""
    if user is not None and (user.is_employee or user.is_moderator):
        return
    exclude_id = user.pk if user is not None else None
    validate_member_name(name, staff_names=employee_names(exclude_id=exclude_id), field=field)


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str | None,
    role: str = Role.MEMBER,
    display_name: str = "",
    job_title: str = "",
) -> User:
    """Create a user with a role. Used by the demo loader and tests; sign-up goes through
    allauth, whose adapter applies the same name rules."""
    user = User(
        username=username,
        email=email,
        display_name=display_name,
    )
    user.set_password(password) if password else user.set_unusable_password()
    user.save()
    user_set_role(user=user, role=role, job_title=job_title)
    return user


@transaction.atomic
def user_set_role(*, user: User, role: str, job_title: str = "") -> bool:
    """Grant a role. Keeps Django's admin-site flags in step with it: only admins may use
    Django admin. Returns False when nothing changed."""
    if role not in Role.values:
        raise ValidationError({"role": f"“{role}” is not a role. Choose one of {Role.values}."})
    if role == Role.STAFF and not job_title.strip():
        raise ValidationError(
            {"job_title": gettext("Staff need a job title: it is shown in their badge.")}
        )
    is_admin = role == Role.ADMIN
    changed = (
        user.role != role
        or user.job_title != job_title.strip()
        or user.is_staff != is_admin
        or user.is_superuser != is_admin
    )
    if not changed:
        return False
    user.role = role
    user.job_title = job_title.strip()
    user.is_staff = is_admin
    user.is_superuser = is_admin
    user.save(update_fields=["role", "job_title", "is_staff", "is_superuser"])
    return True


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str,
    bio: str,
    time_zone: str | None = None,
    language: str | None = None,
) -> User:
    """Change the member's public profile text and preferences (time zone, language: a
    code from settings.LANGUAGES, blank to follow the browser). Raises ValidationError
    (keyed by field) when a name imitates staff, a field is too long or a choice is not
    one we offer."""
    display_name = display_name.strip()
    bio = bio.strip()
    errors = {}
    if len(display_name) > DISPLAY_NAME_MAX:
        errors["display_name"] = gettext(
            "Display names can be at most %(max)s characters; this one has %(count)s."
        ) % {"max": DISPLAY_NAME_MAX, "count": len(display_name)}
    elif display_name:
        try:
            validate_public_name(user=user, name=display_name, field="display name")
        except ValidationError as exc:
            errors["display_name"] = exc.messages
    if len(bio) > BIO_MAX:
        errors["bio"] = gettext(
            "Bios can be at most %(max)s characters; this one has %(count)s."
        ) % {"max": BIO_MAX, "count": len(bio)}
    if time_zone is not None and time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = gettext(
            "“%(zone)s” is not a time zone we know. Pick one from the list."
        ) % {"zone": time_zone}
    if language and language not in dict(settings.LANGUAGES):
        errors["language"] = gettext("Pick a language from the list.")
    if errors:
        raise ValidationError(errors)
    user.display_name = display_name
    user.bio = bio
    fields = ["display_name", "bio"]
    if time_zone is not None:
        user.time_zone = time_zone
        fields.append("time_zone")
    if language is not None:
        user.language = language
        fields.append("language")
    user.save(update_fields=fields)
    return user


@transaction.atomic
def user_set_theme(*, user: User, theme: str) -> bool:
    """Save the colour scheme the member's pages are rendered in ("auto" follows their
    device). Raises ValidationError for a value that is not a theme; returns False when
    it was already the saved one."""
    if theme not in User.Theme.values:
        raise ValidationError({"theme": gettext("Choose Auto, Light or Dark.")})
    if user.theme == theme:
        return False
    user.theme = theme
    user.save(update_fields=["theme"])
    return True
