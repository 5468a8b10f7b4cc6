"""Render again the posts stored with an older rendering pipeline.

Run it once after a deploy that bumps ``forum.markup.RENDER_VERSION`` (e.g. version 4: images
from other hosts become links, protocol-relative links become https). It works in batches,
each in its own short transaction, so the forum stays open while it runs; running it twice
is harmless."""

from django.core.management.base import BaseCommand

from forum.services.rendering import posts_rerender


class Command(BaseCommand):
    help = "Render again every post stored with an older version of the rendering pipeline."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, batch_size: int = 200, **options):
        rendered, refused = posts_rerender(batch_size=batch_size)
        self.stdout.write(f"Re-rendered {rendered} post(s).")
        if refused:
            self.stdout.write(
                f"{refused} post(s) are too dense for the current limits and keep their "
                "old HTML; an edit by their author or a moderator renders them again."
            )
