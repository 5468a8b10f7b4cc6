from datetime import timedelta
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

# Registers the webhook admin (site admins only) with this app's admin.
from forum import admin_webhooks  # noqa: F401
from forum.models import (
    Attachment,
    Board,
    Post,
    PostRevision,
    Thread,
)

# A week: beyond it a "first reply" target stops meaning anything on a support forum.
TARGET_MAX_HOURS = 168


class BoardAdminForm(forms.ModelForm):
    """The target time to a first staff reply in hours (0.5 for half an hour), which
    admins think in, rather than a duration's "4:00:00"."""

    first_reply_target = forms.DecimalField(
        label=_("Target time to first staff reply (hours)"),
        required=False,
        min_value=Decimal("0.25"),
        max_value=TARGET_MAX_HOURS,
        decimal_places=2,
        help_text=_(
            "How soon staff aim to reply first to a new question here, in hours: 4 for four "
            "hours, 0.5 for half an hour, 24 for a day. The unanswered queue shows the time "
            "left or how long a question is overdue. Leave empty for no target."
        ),
        error_messages={
            "invalid": _("Enter a number of hours, like 4 or 0.5."),
            "min_value": _("Enter at least 0.25 hours (15 minutes), or leave it empty."),
            "max_value": _("Enter at most %(limit_value)s hours (a week), or leave it empty."),
        },
    )

    class Meta:
        model = Board
        fields = [
            "name",
            "slug",
            "description",
            "kind",
            "position",
            "is_archived",
            "first_reply_target",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        target = self.instance.first_reply_target if self.instance.pk else None
        if target is not None and not self.is_bound:
            hours = Decimal(target.total_seconds()) / 3600
            self.initial["first_reply_target"] = hours.quantize(Decimal("0.01")).normalize()

    def clean_first_reply_target(self):
        hours = self.cleaned_data["first_reply_target"]
        return None if hours is None else timedelta(seconds=round(float(hours) * 3600))


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    form = BoardAdminForm
    list_display = (
        "name",
        "slug",
        "kind",
        "position",
        "is_archived",
        "first_reply_target",
        "thread_count",
    )
    list_editable = ("position", "is_archived")
    readonly_fields = ("thread_count", "post_count", "last_post", "last_activity_at")
    prepopulated_fields = {"slug": ("name",)}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Threads and posts change only through forum.services, which keep counters and
    revisions exact; Django admin shows them for reference."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ("title", "board", "author", "reply_count", "is_pinned", "last_activity_at")
    list_filter = ("board", "is_pinned")
    search_fields = ("title",)
    list_select_related = ("board", "author")


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ("pk", "thread", "author", "position", "created_at", "edited_at")
    list_select_related = ("thread", "author")
    raw_id_fields = ("thread", "author")


@admin.register(PostRevision)
class PostRevisionAdmin(ReadOnlyAdmin):
    list_display = ("post", "number", "editor", "created_at")
    list_select_related = ("post", "editor")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("pk", "uploader", "post", "content_type", "width", "height", "bytes")
    list_select_related = ("uploader", "post")
    raw_id_fields = ("uploader", "post")
    list_filter = ("content_type",)
    date_hierarchy = "created_at"
