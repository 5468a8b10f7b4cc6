"""Signal receivers of the forum app, connected in ForumConfig.ready()."""

from django.db import DEFAULT_DB_ALIAS

from forum.status import write_status_snapshot


def write_status_copy_after_migrate(sender, *, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Every deploy runs migrate, so the saved copy of /status exists from the first one
    on — before any notice was ever changed — and a database outage never meets a site
    without one."""
    if using != DEFAULT_DB_ALIAS:
        return
    write_status_snapshot()
