"""Delete uploaded images no post named within ATTACHMENT_ORPHAN_HOURS, files included.

Run it hourly from cron (``manage.py delete_orphan_attachments``) or queue the
``forum.tasks.delete_orphan_attachments`` task; it is safe to run twice or at once."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from forum import services


class Command(BaseCommand):
    help = "Delete uploaded images that no post named within ATTACHMENT_ORPHAN_HOURS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=None,
            help="Keep uploads younger than this many hours (ATTACHMENT_ORPHAN_HOURS).",
        )

    def handle(self, *args, hours=None, **options):
        hours = settings.ATTACHMENT_ORPHAN_HOURS if hours is None else hours
        deleted = services.attachments_delete_orphans(older_than=timedelta(hours=hours))
        self.stdout.write(f"Deleted {deleted} unattached upload(s).")
