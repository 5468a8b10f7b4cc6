"""Self-serve account deletion, with a grace period.

* ``account_deletion_request`` records the request (and whether the member wants their
  posts erased, when ``ACCOUNT_DELETION_ALLOW_ERASE_POSTS`` allows it); the view signs
  them out.
* Signing in during the grace period (``ACCOUNT_DELETION_GRACE_DAYS``) cancels it
  (``accounts.receivers``, on ``user_logged_in``).
* ``account_deletions_complete_due`` (``manage.py complete_account_deletions``, hourly,
  and the task ``complete_account_deletions``) completes requests older than the grace
  period: ``signals.account_erasing`` lets the forum erase or keep the posts, the member's
  API tokens are revoked, then every personal field of the row is emptied and the account
  deactivated. The row itself stays: posts, revisions and moderation records keep pointing
  at it, and it reads "deleted member" wherever a name is shown (``User.public_name``).
"""

from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from accounts import signals
from accounts.access_tokens import access_tokens_revoke_all
from accounts.exports import exports_delete_for, exports_remove_expired
from accounts.models import User
from accounts.roles import Role


def grace_period() -> timedelta:
    return timedelta(days=settings.ACCOUNT_DELETION_GRACE_DAYS)


def deletion_due_at(user: User) -> datetime | None:
    if user.deletion_requested_at is None:
        return None
    return user.deletion_requested_at + grace_period()


@transaction.atomic
def account_deletion_request(
    *, user: User, erase_posts: bool = False, now: datetime | None = None
) -> User:
    """Start the grace period. ``erase_posts`` is kept only when the site allows it.
    Asking again restarts the period with the new choice."""
    user.deletion_requested_at = now or timezone.now()
    user.deletion_erase_posts = bool(erase_posts) and settings.ACCOUNT_DELETION_ALLOW_ERASE_POSTS
    user.save(update_fields=["deletion_requested_at", "deletion_erase_posts"])
    return user


@transaction.atomic
def account_deletion_cancel(*, user: User) -> bool:
    """Stop a pending deletion. Returns False when none was pending (or it completed)."""
    changed = User.objects.filter(
        pk=user.pk, deletion_requested_at__isnull=False, deleted_at__isnull=True
    ).update(deletion_requested_at=None, deletion_erase_posts=False)
    if changed:
        user.deletion_requested_at = None
        user.deletion_erase_posts = False
    return bool(changed)


@transaction.atomic
def account_deletion_complete(*, user_id: int, now: datetime | None = None) -> bool:
    """Delete one account whose grace period has passed. Returns False when nothing was
    due (cancelled, already deleted, or still within the period). Atomic: the forum's
    and moderation's receivers run in the same transaction, so a failure leaves the
    account as it was, to be tried again on the next run."""
    now = now or timezone.now()
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if (
        user is None
        or user.deleted_at is not None
        or user.deletion_requested_at is None
        or user.deletion_requested_at + grace_period() > now
    ):
        return False
    signals.account_erasing.send(sender=User, user=user, erase_posts=user.deletion_erase_posts)
    exports_delete_for(user=user)
    access_tokens_revoke_all(user=user)
    EmailAddress.objects.filter(user=user).delete()
    if apps.is_installed("allauth.socialaccount"):
        apps.get_model("socialaccount", "SocialAccount").objects.filter(user=user).delete()
    user.username = f"deleted-{user.pk}"
    user.email = ""
    user.first_name = user.last_name = ""
    user.display_name = ""
    user.bio = ""
    user.job_title = ""
    user.role = Role.MEMBER
    user.time_zone = "UTC"
    user.language = ""
    user.theme = User.Theme.AUTO
    user.email_frequency = User.EmailFrequency.NEVER
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.deleted_at = now
    user.save()
    return True


def account_deletions_due(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        User.objects.filter(
            deleted_at__isnull=True, deletion_requested_at__lte=now - grace_period()
        )
        .order_by("deletion_requested_at")
        .values_list("pk", flat=True)
    )


def account_deletions_complete_due(*, now: datetime | None = None) -> int:
    """Complete every deletion past its grace period, one transaction each. Returns how
    many accounts were deleted."""
    return sum(
        account_deletion_complete(user_id=user_id, now=now)
        for user_id in account_deletions_due(now=now)
    )


@task()
def complete_account_deletions() -> int:
    """The periodic sweep: due deletions, then expired export files."""
    deleted = account_deletions_complete_due()
    exports_remove_expired()
    return deleted
