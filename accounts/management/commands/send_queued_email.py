"""Queue again the outbox mail whose delivery task was lost.

Every email is delivered by the task worker (``manage.py db_worker``) from the outbox
(``accounts.mail``), retrying by itself after failures. A task can still be lost — the
database was away at the moment it was to be queued — and then its email would wait
forever. This finds queued email more than ``OVERDUE_AFTER`` late and queues its
delivery again; a duplicate is harmless (an email once sent is never sent again). The
hourly ``send_digests --retry-only`` does the same, so cron needs only one of them."""

from django.core.management.base import BaseCommand

from accounts.mail import email_requeue_overdue


class Command(BaseCommand):
    help = "Re-queue delivery of outbox emails that are overdue (their task was lost)."

    def handle(self, *args, **options):
        count = email_requeue_overdue()
        self.stdout.write(f"Queued {count} overdue email(s) for delivery.")
