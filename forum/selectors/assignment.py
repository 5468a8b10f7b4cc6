"""Reads for assignment: who can be assigned a thread, who a thread is assigned to, and
a team member's "My threads". Only pages for the team call these."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q

from accounts.models import User
from accounts.roles import MODERATING_ROLES, Role
from forum.models import Thread

TEAM_ROLES = (Role.STAFF, *MODERATING_ROLES)


def _team_q() -> Q:
    return Q(role__in=list(TEAM_ROLES))


def is_assignable(user: User) -> bool:
    """An active employee, moderator or admin (``User.role`` decides, never a name)."""
    return bool(user.is_active and user.deleted_at is None and user.role in TEAM_ROLES)


def assignable_users() -> list[User]:
    """The team a thread can be assigned to, by name. One query."""
    return sorted(
        User.objects.filter(_team_q(), is_active=True, deleted_at__isnull=True).only(
            "pk", "username", "display_name", "deleted_at", "role", "job_title"
        ),
        key=lambda user: (user.public_name.casefold(), user.pk),
    )


def thread_assignment(*, thread_id: int) -> Thread | None:
    """The thread's assignment as it is now (not a stored copy of the page): its
    assignee, who assigned it and when. None when nobody is assigned. One query."""
    return (
        Thread.objects.filter(pk=thread_id, assignee__isnull=False)
        .select_related("assignee", "assigned_by")
        .only(
            "pk",
            "assigned_at",
            "assignee__username",
            "assignee__display_name",
            "assignee__deleted_at",
            "assigned_by__username",
            "assigned_by__display_name",
            "assigned_by__deleted_at",
        )
        .first()
    )


def assignees_for_threads(*, thread_ids: list[int]) -> dict[int, User]:
    """The assignee of each of these threads that has one. One query (none for no ids)."""
    if not thread_ids:
        return {}
    rows = (
        Thread.objects.filter(pk__in=thread_ids, assignee__isnull=False)
        .select_related("assignee")
        .only("pk", "assignee__username", "assignee__display_name", "assignee__deleted_at")
    )
    return {thread.pk: thread.assignee for thread in rows}


def assigned_threads_page(*, user: User, page_number) -> Page:
    """One page of the threads assigned to ``user``, latest activity first, with board,
    author and last poster: two queries (the count and the page), on the assignee index.
    A thread merged into another is left out: its posts and its address live there."""
    threads = (
        Thread.objects.filter(assignee=user, merged_into__isnull=True)
        .select_related("board", "author", "last_poster")
        .order_by("-last_activity_at", "-pk")
    )
    return Paginator(threads, settings.FORUM_THREADS_PER_PAGE).get_page(page_number)
