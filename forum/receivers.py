"""Signal receivers of the forum app, connected in ForumConfig.ready()."""

from django.db import DEFAULT_DB_ALIAS

from forum import pagecache
from forum.services.account_data import member_data_for_export, member_forum_data_erase
from forum.services.webhooks import webhooks_forget_cached
from forum.status import write_status_snapshot

# What a page shows of a member: their name and badge beside every post they wrote.
SHOWN_MEMBER_FIELDS = frozenset(
    {"username", "display_name", "role", "job_title", "is_staff", "is_superuser", "is_active"}
)


def write_status_copy_after_migrate(sender, *, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Every deploy runs migrate, so the saved copy of /status exists from the first one
    on — before any notice was ever changed — and a database outage never meets a site
    without one."""
    if using != DEFAULT_DB_ALIAS:
        return
    write_status_snapshot()


def board_saved(sender, **kwargs) -> None:
    """Board settings change in the admin, outside any forum service: every page lists or
    names boards, so they all get a new version after the commit."""
    pagecache.site_changed_on_commit()


def webhook_changed(sender, *, update_fields=None, **kwargs) -> None:
    """A webhook, its events or its boards changed (in the admin, or by a service):
    writes decide from the cached list of active webhooks whether anyone listens. A
    delivery's bookkeeping (its failure count) changes nothing a write decides on."""
    if update_fields is not None and set(update_fields) <= {"consecutive_failures", "secret"}:
        return
    webhooks_forget_cached()


def member_saved(sender, *, update_fields=None, created=False, **kwargs) -> None:
    """A member's shown name or badge changed (accounts knows nothing of the forum's
    pages). Saves of other fields, such as the last sign-in, change no page."""
    if created:
        return
    if update_fields is None or SHOWN_MEMBER_FIELDS & set(update_fields):
        pagecache.site_changed_on_commit()


def member_data_export(sender, *, user, **kwargs) -> dict:
    """A member's export holds their posts, revisions, votes and watch settings."""
    return member_data_for_export(user=user)


def member_account_erasing(sender, *, user, erase_posts: bool, **kwargs) -> None:
    """An account is being deleted: its posts stay under "deleted member", or are erased
    when the member asked for it."""
    member_forum_data_erase(user=user, erase_posts=erase_posts)
