"""Django admin for outbound webhooks and their delivery log: site admins only."""

import json
from urllib.parse import urlsplit

from django import forms
from django.contrib import admin, messages
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum import webhook_transport
from forum.models import Webhook, WebhookAttempt, WebhookDelivery
from forum.services import webhooks


class SiteAdminOnly:
    """Webhooks carry the forum's events off-site (and their secrets sign them): only the
    site's admins see or change them."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_site_admin

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


class WebhookAdminForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "vURLField"}),
        help_text=_(
            "Where deliveries are POSTed. It must be a public address: loopback, "
            "private and link-local addresses are refused."
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=Webhook.Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event to send.")},
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "format", "events", "boards"]
        widgets = {"boards": forms.CheckboxSelectMultiple}
        help_texts = {
            "boards": _(
                "Thread and post events only from these boards. None chosen means every board."
            ),
            "format": _(
                "JSON: the signed event, described in docs/api.md. Slack-compatible: a "
                "readable line with a link, for an incoming-webhook URL."
            ),
        }

    def clean_url(self):
        url = self.cleaned_data["url"]
        problem = webhook_transport.target_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url

    def clean_events(self):
        chosen = set(self.cleaned_data["events"])
        # Kept in the order of the choices, so the list reads the same however it was ticked.
        return [value for value in Webhook.Event.values if value in chosen]


@admin.register(Webhook)
class WebhookAdmin(SiteAdminOnly, admin.ModelAdmin):
    form = WebhookAdminForm
    list_display = (
        "name",
        "target",
        "event_list",
        "kind",
        "active",
        "failures",
        "last_delivery",
    )
    # A site has a handful of webhooks: no filters, so the columns have the room.
    search_fields = ("name", "url")
    readonly_fields = (
        "signing_secret",
        "is_active",
        "disabled_at",
        "disabled_reason",
        "consecutive_failures",
        "created_by",
        "created_at",
    )
    actions = ("send_test", "reenable", "regenerate_secret")

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": ("name", "url", "format", "events", "boards")})]
        if obj is not None:
            fieldsets.append(
                (
                    _("Signing and state"),
                    {
                        "fields": (
                            "signing_secret",
                            "is_active",
                            "consecutive_failures",
                            "disabled_at",
                            "disabled_reason",
                            "created_by",
                            "created_at",
                        )
                    },
                )
            )
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Boards are made on their own page; a "+" beside the checkboxes only distracts.
        form.base_fields["boards"].widget.can_add_related = False
        return form

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(last_delivery_at=Max("deliveries__created_at"))
        )

    @admin.display(description=_("Host"), ordering="url")
    def target(self, obj: Webhook) -> str:
        # The host says which receiver it is; the whole address is on the change page.
        return urlsplit(obj.url).hostname or obj.url

    @admin.display(description=_("Format"), ordering="format")
    def kind(self, obj: Webhook) -> str:
        return "Slack" if obj.format == Webhook.Format.SLACK else "JSON"

    @admin.display(description=_("Active"), boolean=True, ordering="is_active")
    def active(self, obj: Webhook) -> bool:
        return obj.is_active

    @admin.display(description=_("Failures"), ordering="consecutive_failures")
    def failures(self, obj: Webhook) -> int:
        return obj.consecutive_failures

    @admin.display(description=_("Events"))
    def event_list(self, obj: Webhook) -> str:
        return ", ".join(obj.events)

    @admin.display(description=_("Last delivery"), ordering="last_delivery_at")
    def last_delivery(self, obj: Webhook):
        return getattr(obj, "last_delivery_at", None)

    @admin.display(description=_("Secret"))
    def signing_secret(self, obj: Webhook) -> str:
        return format_html(
            "<code>{}</code><br>{}",
            obj.secret,
            _(
                "Receivers verify the Porchlight-Signature header with it. To replace it, "
                "use the action “Regenerate the signing secret” in the list."
            ),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Send a test delivery"))
    def send_test(self, request, queryset):
        for hook in queryset:
            webhooks.webhook_send_test(webhook=hook, actor=request.user)
        self.message_user(
            request,
            _("Test delivery queued; its result appears in the webhook deliveries log."),
            messages.SUCCESS,
        )

    @admin.action(description=_("Re-enable"))
    def reenable(self, request, queryset):
        count = sum(webhooks.webhook_reenable(webhook=h, actor=request.user) for h in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)s webhook re-enabled. Redeliver what it missed from its log.",
                "%(count)s webhooks re-enabled. Redeliver what they missed from their logs.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Regenerate the signing secret"))
    def regenerate_secret(self, request, queryset):
        count = 0
        for hook in queryset:
            webhooks.webhook_secret_regenerate(webhook=hook, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)s new secret made; give it to the receiver. The next delivery uses it.",
                "%(count)s new secrets made; give them to the receivers. The next deliveries "
                "use them.",
                count,
            )
            % {"count": count},
            messages.WARNING,
        )


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("attempted_at", "by_hand", "status_code", "duration_ms", "error", "response_excerpt")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_site_admin


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(SiteAdminOnly, admin.ModelAdmin):
    """The delivery log, read-only: rows are written by the delivery services; an admin
    redelivers from here."""

    list_display = (
        "event",
        "webhook",
        "status",
        "attempts",
        "code",
        "created",
        "delivered",
    )
    list_filter = ("status", "event", "webhook")
    list_select_related = ("webhook",)
    search_fields = ("delivery_id", "subject")
    date_hierarchy = "created_at"
    inlines = (WebhookAttemptInline,)
    actions = ("redeliver",)
    fields = (
        "delivery_id",
        "webhook",
        "event",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "created_at",
        "delivered_at",
        "sent_body",
    )
    readonly_fields = fields

    @admin.display(description=_("Created"), ordering="created_at")
    def created(self, obj: WebhookDelivery) -> str:
        return _short_time(obj.created_at)

    @admin.display(description=_("Delivered"), ordering="delivered_at")
    def delivered(self, obj: WebhookDelivery) -> str:
        return _short_time(obj.delivered_at)

    @admin.display(description=_("Code"), ordering="last_status_code")
    def code(self, obj: WebhookDelivery):
        return obj.last_status_code

    @admin.display(description=_("Body"))
    def sent_body(self, obj: WebhookDelivery) -> str:
        return format_html("<pre>{}</pre>", _pretty(obj.body))

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewable, never edited: the action goes through the service.
        return False

    @admin.action(description=_("Redeliver"))
    def redeliver(self, request, queryset):
        count = sum(
            webhooks.webhook_delivery_redeliver(delivery=d, actor=request.user) for d in queryset
        )
        self.message_user(
            request,
            ngettext(
                "%(count)s delivery queued again with the same delivery id.",
                "%(count)s deliveries queued again with the same delivery ids.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


def _short_time(value) -> str:
    # Day, month and time: the list has many columns, and the year is rarely in doubt.
    return date_format(localtime(value), "j M H:i") if value else "–"


def _pretty(body: str) -> str:
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except ValueError:
        return body
