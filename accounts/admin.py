from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_set_role


class RoleAwareUserChangeForm(UserChangeForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.STAFF and not (cleaned.get("job_title") or "").strip():
            self.add_error("job_title", "Staff need a job title: it is shown in their badge.")
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = RoleAwareUserChangeForm
    list_display = ("username", "email", "display_name", "role", "job_title", "date_joined")
    list_filter = ("role", "is_active")
    search_fields = ("username", "email", "display_name")
    readonly_fields = ("is_staff", "is_superuser", "post_count", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": ("display_name", "email", "bio", "post_count")}),
        (
            "Role",
            {
                "fields": ("role", "job_title", "is_active", "is_staff", "is_superuser"),
                "description": "Grant roles here. Admins get Django admin access; the admin-"
                "site flags follow the role and cannot be set by hand.",
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )

    def save_model(self, request, obj, form, change):
        role = obj.role
        job_title = obj.job_title
        super().save_model(request, obj, form, change)
        # The role goes through the service so Django admin access follows it.
        user_set_role(user=obj, role=role, job_title=job_title)
