"""Boards: the forum's sections, with their denormalised counters."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Board(models.Model):
    class Kind(models.TextChoices):
        HELP = "help", _("Help")
        BUGS = "bugs", _("Bugs")
        IDEAS = "ideas", _("Ideas")
        DISCUSSION = "discussion", _("Discussion")

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=60)
    description = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.DISCUSSION)
    position = models.PositiveSmallIntegerField(default=0)
    is_archived = models.BooleanField(
        default=False, help_text=_("Archived boards stay readable but take no new threads.")
    )
    # Denormalised by forum.services so the board index needs no aggregates.
    thread_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    last_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(null=True, blank=True)
    # How soon staff aim to reply first to a new thread here; none means no target.
    first_reply_target = models.DurationField(
        null=True,
        blank=True,
        help_text=_("How soon staff aim to reply first to a new thread, e.g. 4:00:00."),
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:board-detail", kwargs={"board_slug": self.slug})
