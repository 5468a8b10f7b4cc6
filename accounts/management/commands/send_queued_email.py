"""Look after the outbox: re-queue mail whose delivery task was lost, prune old sent mail.

Every email is delivered by the task worker (``manage.py db_worker``) from the outbox
(``accounts.mail``), retrying by itself after failures. A task can still be lost — the
database was away at the moment it was to be queued — and its email would then wait
forever: this finds queued email more than ``OVERDUE_AFTER`` late and queues its
delivery again (a duplicate is harmless: an email once sent is never sent again). It also
deletes sent mail older than ``KEEP_SENT``. Run it hourly from cron.

``--now`` queues every queued email at once instead of at its next retry: for when the
mail server is back after a long outage and the backoff would keep mail waiting hours."""

from django.core.management.base import BaseCommand

from accounts.mail import email_prune_sent, email_requeue_overdue, email_retry_now


class Command(BaseCommand):
    help = "Re-queue outbox emails whose delivery is overdue, and prune old sent emails."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Queue every queued email for delivery now, not at its next retry.",
        )

    def handle(self, *args, now: bool = False, **options):
        queued = email_retry_now() if now else email_requeue_overdue()
        pruned = email_prune_sent()
        self.stdout.write(f"Queued {queued} email(s) for delivery; pruned {pruned} sent email(s).")
