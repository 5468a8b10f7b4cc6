from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.text import Truncator

from accounts.access_tokens import access_token_revoke
from accounts.deletion import deletion_due_at
from accounts.email_domains import normalise_domain
from accounts.mail import email_resend
from accounts.models import AccessToken, EmailDomainRule, OutboundEmail, User
from accounts.roles import Role
from accounts.services import user_set_role


class RoleAwareUserChangeForm(UserChangeForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.STAFF and not (cleaned.get("job_title") or "").strip():
            self.add_error("job_title", "Staff need a job title: it is shown in their badge.")
        return cleaned


class DeletionFilter(admin.SimpleListFilter):
    """Accounts waiting out their deletion grace period, and those already deleted."""

    title = "deletion"
    parameter_name = "deletion"

    def lookups(self, request, model_admin):
        return (("pending", "Pending (grace period)"), ("deleted", "Deleted"))

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(deletion_requested_at__isnull=False, deleted_at__isnull=True)
        if self.value() == "deleted":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = RoleAwareUserChangeForm
    list_display = (
        "username",
        "email",
        "display_name",
        "role",
        "job_title",
        "date_joined",
        "deletion_due",
    )
    list_filter = ("role", "is_active", DeletionFilter)
    search_fields = ("username", "email", "display_name")
    readonly_fields = (
        "is_staff",
        "is_superuser",
        "post_count",
        "last_login",
        "date_joined",
        "deletion_requested_at",
        "deletion_erase_posts",
        "deleted_at",
    )
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
        (
            "Deletion",
            {
                "fields": ("deletion_requested_at", "deletion_erase_posts", "deleted_at"),
                "description": "Members delete their own accounts from their settings; the "
                "deletion completes after the grace period unless they sign in.",
            },
        ),
    )

    @admin.display(description="Deletion due")
    def deletion_due(self, obj: User):
        if obj.deleted_at:
            return "deleted"
        return deletion_due_at(obj) or "—"

    def save_model(self, request, obj, form, change):
        role = obj.role
        job_title = obj.job_title
        super().save_model(request, obj, form, change)
        # The role goes through the service so Django admin access follows it.
        user_set_role(user=obj, role=role, job_title=job_title)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """The outbox, read-only: where mail that could not be delivered ("Dead") is found and
    sent again. Rows are written only by ``accounts.mail``."""

    list_display = (
        "created_at",
        "kind",
        "recipients",
        "subject",
        "status",
        "attempts",
        "short_error",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status", "kind")
    search_fields = ("subject", "to", "kind")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    actions = ("resend",)
    readonly_fields = [field.name for field in OutboundEmail._meta.fields]

    @admin.display(description="To")
    def recipients(self, obj: OutboundEmail) -> str:
        return ", ".join(obj.to + obj.cc + obj.bcc)

    @admin.display(description="Last error")
    def short_error(self, obj: OutboundEmail) -> str:
        return Truncator(obj.last_error).chars(80)

    @admin.action(description="Re-send the selected dead emails")
    def resend(self, request, queryset):
        selected = queryset.count()
        queued = email_resend(emails=queryset)
        self.message_user(
            request,
            f"{queued} email(s) queued again; the task worker sends them within moments.",
            messages.SUCCESS,
        )
        if selected > queued:
            self.message_user(
                request,
                f"{selected - queued} selected email(s) were not dead (sent or still queued) "
                "and were left alone, so nothing is sent twice.",
                messages.WARNING,
            )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Viewable (read-only) but not editable; the action goes through the service.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class EmailDomainRuleForm(forms.ModelForm):
    class Meta:
        model = EmailDomainRule
        fields = ("domain", "verdict", "note")

    def clean_domain(self):
        domain = normalise_domain(self.cleaned_data["domain"])
        if "." not in domain or "@" in domain or " " in domain:
            raise forms.ValidationError(
                "Write a domain such as mailinator.com: the part of an address after the @."
            )
        if EmailDomainRule.objects.filter(domain=domain).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"There is already a rule for {domain}; edit that one.")
        return domain


@admin.register(EmailDomainRule)
class EmailDomainRuleAdmin(admin.ModelAdmin):
    """Throwaway-address domains refused at sign-up and email change, beyond (or exempt
    from) the shipped list; see accounts.email_domains."""

    form = EmailDomainRuleForm
    list_display = ("domain", "verdict", "note", "created_at")
    list_filter = ("verdict",)
    search_fields = ("domain", "note")


class TokenStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (("active", "Active"), ("revoked", "Revoked"))

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    """Members' API tokens, read-only, with a "Revoke" action (a leaked token, a member who
    lost access to their machine). Members create their own from their settings; nobody
    creates one here. The digest is never shown: it names the token to the database only."""

    list_display = ("name", "user", "scope", "prefix_shown", "created_at", "last_used_at", "state")
    list_filter = ("scope", TokenStateFilter)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    date_hierarchy = "created_at"
    fields = ("user", "name", "scope", "prefix_shown", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke",)

    @admin.display(description="Token starts with")
    def prefix_shown(self, obj: AccessToken) -> str:
        return f"{obj.prefix}…"

    @admin.display(description="State")
    def state(self, obj: AccessToken) -> str:
        return "active" if obj.is_active else "revoked"

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        revoked = sum(access_token_revoke(token=token) for token in queryset)
        self.message_user(
            request,
            f"{revoked} token(s) revoked; requests made with them are refused from now on.",
            messages.SUCCESS,
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Revoked tokens stay, so the member's list and the export still show them.
        return False
