from django.contrib import admin

from moderation.models import GuidelineRule, GuidelineVersion


class GuidelineRuleInline(admin.TabularInline):
    model = GuidelineRule
    fields = ("code", "title", "body")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(GuidelineVersion)
class GuidelineVersionAdmin(admin.ModelAdmin):
    """Read-only: a published version is a record. New versions are published through
    moderation.services.guidelines_publish."""

    list_display = ("number", "published_at", "published_by")
    readonly_fields = ("number", "intro", "published_at", "published_by")
    exclude = ("intro_html",)
    inlines = [GuidelineRuleInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
