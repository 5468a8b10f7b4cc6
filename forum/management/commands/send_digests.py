"""Queue the daily notification digests, and retry mail that has not gone out.

Run it once a day from cron (e.g. ``0 7 * * * manage.py send_digests``); add an hourly
``manage.py send_digests --retry-only`` so nothing waits for long behind a lost task:
it queues again the immediate notification emails whose task never ran, and every email
in the outbox whose delivery is overdue (``accounts.mail.email_requeue_overdue``, also
``manage.py send_queued_email``). The work happens in the task worker
(``manage.py db_worker``): this command only queues tasks, so it is quick and safe to run
twice (a notification once emailed is never emailed again, an email once sent is never
sent again)."""

from django.core.management.base import BaseCommand

from accounts.mail import email_requeue_overdue
from forum import selectors
from forum.tasks import send_daily_digest, send_notification_emails

RETRY_BATCH = 100


class Command(BaseCommand):
    help = (
        "Queue daily digest emails, retry immediate notification emails whose task was "
        "lost, and re-queue overdue mail in the outbox."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-only",
            action="store_true",
            help="Only queue again what has not gone out (no digests).",
        )

    def handle(self, *args, retry_only: bool = False, **options):
        digests = 0
        if not retry_only:
            for user_id in selectors.digest_recipient_ids():
                send_daily_digest.enqueue(user_id=user_id)
                digests += 1
        unsent = selectors.unsent_immediate_ids()
        for start in range(0, len(unsent), RETRY_BATCH):
            send_notification_emails.enqueue(notification_ids=unsent[start : start + RETRY_BATCH])
        overdue = email_requeue_overdue()
        self.stdout.write(
            f"Queued {digests} digest(s), {len(unsent)} immediate email(s) to retry and "
            f"{overdue} overdue outbox email(s)."
        )
