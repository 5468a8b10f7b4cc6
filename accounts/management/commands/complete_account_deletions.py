"""Complete every account deletion whose grace period has passed, and remove expired
export files. Run hourly from cron (README, "Periodic work")."""

from django.core.management.base import BaseCommand

from accounts.deletion import account_deletions_complete_due, complete_account_deletions
from accounts.exports import exports_remove_expired


class Command(BaseCommand):
    help = (
        "Delete the accounts whose deletion grace period has passed, and the files of "
        "expired data exports."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the work for the task worker instead of doing it here.",
        )

    def handle(self, *args, queue: bool = False, **options):
        if queue:
            complete_account_deletions.enqueue()
            self.stdout.write("Queued account deletions for the task worker.")
            return
        deleted = account_deletions_complete_due()
        removed = exports_remove_expired()
        self.stdout.write(
            f"{deleted} account(s) deleted, {removed} expired export file(s) removed."
        )
