"""Pre-aggregate the community's temperature (activity per board and hour, the hottest
threads, the heating-up check).

Run it hourly from cron (``manage.py aggregate_temperature``, or with ``--queue`` to hand
the work to the task worker); ``--all`` rebuilds the whole history (after an upgrade, or
after seeding); ``--hours N`` rebuilds the last N hours. Safe to run twice or at once: every
hour is recomputed from the posts, flags and moderation log."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from moderation.services import temperature
from moderation.tasks import aggregate_temperature


class Command(BaseCommand):
    help = "Pre-aggregate the temperature page's hourly figures (hourly from cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=3,
            help="Rebuild this many of the last hours, the current one included (default 3).",
        )
        parser.add_argument(
            "--all", action="store_true", help="Rebuild every hour since the first post."
        )
        parser.add_argument(
            "--queue", action="store_true", help="Queue the task for the worker instead."
        )

    def handle(self, *args, hours, all, queue, **options):
        if hours < 1:
            raise CommandError("--hours must be 1 or more.")
        if queue:
            if all:
                raise CommandError("--all runs here, not in the worker: leave out --queue.")
            aggregate_temperature.enqueue(hours=hours)
            self.stdout.write("Queued the temperature refresh.")
            return
        if all:
            start = temperature.temperature_history_start()
            if start is not None:
                now = timezone.now()
                hours = max(int((now - start).total_seconds() // 3600) + 1, hours)
        result = temperature.temperature_refresh(hours=hours)
        self.stdout.write(
            f"Wrote {result['rows']} hour row(s), ranked {result['hot_threads']} hot "
            f"thread(s), opened {result['alerts']} heating-up alert(s)."
        )
