"""Queue again webhook deliveries whose task was lost.

A queued delivery more than ten minutes past its attempt time lost its task (the worker's
database went away between a commit and the enqueue, say). Run it every few minutes from
cron (``manage.py deliver_webhooks``); it is safe to run twice or at once, since sending
locks the delivery and skips what is no longer queued."""

from django.core.management.base import BaseCommand

from forum.services.webhooks import webhook_deliveries_requeue_overdue


class Command(BaseCommand):
    help = "Queue again webhook deliveries that are overdue (their task was lost)."

    def handle(self, *args, **options):
        queued = webhook_deliveries_requeue_overdue()
        self.stdout.write(f"Queued {queued} overdue webhook delivery(ies) again.")
