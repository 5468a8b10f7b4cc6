"""Queue the daily notification digests, and retry immediate emails that failed.

Run it once a day from cron (e.g. ``0 7 * * * manage.py send_digests``); add an hourly
``manage.py send_digests --retry-only`` so emails that failed while the mail server was
down go out soon after it is back. The work happens in the task worker
(``manage.py db_worker``): this command only queues tasks, so it is quick and safe to run
twice (a notification once emailed is never emailed again)."""

from django.core.management.base import BaseCommand

from forum.services import notifications
from forum.tasks import send_daily_digest, send_notification_emails

RETRY_BATCH = 100


class Command(BaseCommand):
    help = "Queue daily digest emails and retry failed immediate notification emails."

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-only",
            action="store_true",
            help="Only queue again the immediate emails that have not gone out.",
        )

    def handle(self, *args, retry_only: bool = False, **options):
        digests = 0
        if not retry_only:
            for user_id in notifications.digest_recipient_ids():
                send_daily_digest.enqueue(user_id=user_id)
                digests += 1
        unsent = notifications.unsent_immediate_ids()
        for start in range(0, len(unsent), RETRY_BATCH):
            send_notification_emails.enqueue(notification_ids=unsent[start : start + RETRY_BATCH])
        self.stdout.write(
            f"Queued {digests} digest(s) and {len(unsent)} immediate email(s) to retry."
        )
