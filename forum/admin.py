from django.contrib import admin

from forum.models import Attachment, Board, Post, PostRevision, Thread


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "position", "is_archived", "thread_count")
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
