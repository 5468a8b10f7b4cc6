from django.shortcuts import get_object_or_404

from accounts.models import DataExport, User
from accounts.roles import Role


def employee_names(*, exclude_id: int | None = None) -> list[str]:
    """Usernames and display names of everyone with a role badge — staff, moderators
    (volunteers included) and admins — for look-alike checks: a member must not pass for
    any of them."""
    employees = User.objects.exclude(role=Role.MEMBER)
    if exclude_id is not None:
        employees = employees.exclude(pk=exclude_id)
    names: list[str] = []
    for username, display_name in employees.values_list("username", "display_name"):
        names.append(username)
        if display_name:
            names.append(display_name)
    return names


def user_get_public(*, username: str) -> User:
    return get_object_or_404(User, username=username, is_active=True)


def data_export_latest(*, user: User) -> DataExport | None:
    return DataExport.objects.filter(user=user).order_by("-requested_at", "-pk").first()


def data_export_get_for_owner(*, export_id: int | None, user: User) -> DataExport | None:
    """The export, only if it is ``user``'s: anyone else gets None, like a missing one."""
    if export_id is None:
        return None
    return DataExport.objects.filter(pk=export_id, user=user).first()


def pending_deletions():
    return User.objects.filter(deletion_requested_at__isnull=False, deleted_at__isnull=True)
