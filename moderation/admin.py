"""Django admin shows every moderation record for reference. Changes go through the site's
own moderator pages (and so through the services, which log and notify); here the
records are read-only, because editing a log row or a block by hand would skip both."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from moderation.models import (
    Appeal,
    Block,
    BlockedDomain,
    Flag,
    GuidelineRule,
    GuidelineVersion,
    Lockdown,
    MemberMessage,
    ModerationAction,
    ModeratorNote,
    ReviewItem,
    SpamPolicy,
    SpamTokenCount,
    WatchedWord,
)
from moderation.spam.tokens import url_domain
from moderation.spam.watched import fold


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GuidelineRuleInline(admin.TabularInline):
    model = GuidelineRule
    fields = ("code", "title", "body")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(GuidelineVersion)
class GuidelineVersionAdmin(ReadOnlyAdmin):
    """Publish new versions at /guidelines/edit/."""

    list_display = ("number", "published_at", "published_by")
    exclude = ("intro_html",)
    inlines = [GuidelineRuleInline]


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "created_at", "kind", "actor", "member", "rule_codes", "reverses")
    list_filter = ("kind",)
    search_fields = ("member__username", "actor__username", "note")
    list_select_related = ("actor", "member", "reverses")
    date_hierarchy = "created_at"


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin):
    list_display = ("member", "kind", "rule_codes", "starts_at", "ends_at", "lifted_at")
    list_filter = ("kind",)
    search_fields = ("member__username",)
    list_select_related = ("member",)


@admin.register(Lockdown)
class LockdownAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "thread", "board", "starts_at", "ends_at", "lifted_at")
    list_filter = ("kind",)
    list_select_related = ("thread", "board")


@admin.register(ReviewItem)
class ReviewItemAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "status", "member", "claimed_by", "decision", "created_at")
    list_filter = ("kind", "status", "decision")
    list_select_related = ("member", "claimed_by")


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ("post", "flagger", "reason", "rule_code", "created_at")
    list_filter = ("reason",)
    list_select_related = ("post", "flagger")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("pk", "member", "action", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("member", "action")


@admin.register(ModeratorNote)
class ModeratorNoteAdmin(ReadOnlyAdmin):
    list_display = ("member", "author", "created_at")
    list_select_related = ("member", "author")


@admin.register(MemberMessage)
class MemberMessageAdmin(ReadOnlyAdmin):
    list_display = ("recipient", "subject", "created_at", "read_at")
    list_select_related = ("recipient",)


class BlockedDomainForm(forms.ModelForm):
    class Meta:
        model = BlockedDomain
        fields = ("domain", "note")

    def clean_domain(self):
        raw = self.cleaned_data["domain"].strip()
        domain = url_domain(raw)
        if "." not in domain or " " in domain:
            raise ValidationError(
                _("“%(value)s” is not a domain. Enter one like cheap-pills.biz (no spaces).")
                % {"value": raw}
            )
        return domain


@admin.register(BlockedDomain)
class BlockedDomainAdmin(admin.ModelAdmin):
    """Admins manage this list here: a post linking to one of these domains (or a
    subdomain) scores as spam. Entered as a bare domain; a pasted URL is reduced to it."""

    list_display = ("domain", "note", "created_at")
    search_fields = ("domain", "note")
    form = BlockedDomainForm


@admin.register(SpamTokenCount)
class SpamTokenCountAdmin(ReadOnlyAdmin):
    """What moderators' decisions taught the spam filter (read-only: counts change only
    through those decisions)."""

    list_display = ("token", "spam", "ham")
    search_fields = ("token",)
    ordering = ("-spam", "token")


class SpamPolicyForm(forms.ModelForm):
    class Meta:
        model = SpamPolicy
        fields = (
            "new_accounts",
            "first_posts",
            "trusted_after_days",
            "trusted_after_posts",
            "link_limit",
        )

    def clean(self):
        data = super().clean()
        first, after = data.get("first_posts"), data.get("trusted_after_posts")
        if (
            data.get("new_accounts") == SpamPolicy.NewAccounts.FIRST_POSTS
            and first
            and after
            and after < first
        ):
            # Trusted accounts are never held, so the extra first posts would never be.
            self.add_error(
                "trusted_after_posts",
                _(
                    "An account is trusted after %(after)s published posts, so only %(after)s "
                    "of its first %(first)s would be held. Set this to at least %(first)s, or "
                    "hold fewer first posts."
                )
                % {"after": after, "first": first},
            )
        return data


@admin.register(SpamPolicy)
class SpamPolicyAdmin(admin.ModelAdmin):
    """The one policy row: the list goes straight to it, and it can be neither added
    twice nor deleted."""

    form = SpamPolicyForm
    readonly_fields = ("updated_at",)

    def has_add_permission(self, request):
        return not SpamPolicy.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        policy = SpamPolicy.objects.filter(pk=SpamPolicy.SINGLETON_PK).first()
        if policy is not None and self.has_view_or_change_permission(request, policy):
            return redirect("admin:moderation_spampolicy_change", policy.pk)
        return super().changelist_view(request, extra_context)


class WatchedWordForm(forms.ModelForm):
    class Meta:
        model = WatchedWord
        fields = ("phrase", "whole_word", "action")
        help_texts = {
            "phrase": gettext_lazy(
                "A word or phrase, typed as it is: no patterns or wildcards (* . ( ) "
                "are ordinary characters). Case and accents are ignored."
            ),
        }

    def clean_phrase(self):
        phrase = " ".join(self.cleaned_data["phrase"].split())
        if not fold(phrase):
            raise ValidationError(_("Enter a word or phrase to watch for."))
        others = WatchedWord.objects.exclude(pk=self.instance.pk)
        for other in others.values_list("phrase", flat=True):
            if fold(other) == fold(phrase):
                raise ValidationError(
                    _(
                        "“%(phrase)s” is already watched, and matches the same text (case and "
                        "accents are ignored). Change its action instead."
                    )
                    % {"phrase": other}
                )
        return phrase


@admin.register(WatchedWord)
class WatchedWordAdmin(admin.ModelAdmin):
    """Admins' watched phrases: block refuses the post with a message naming the phrase,
    hold sends it to the review queue, flag publishes it and queues it for a look."""

    form = WatchedWordForm
    list_display = ("phrase", "whole_word", "action", "created_by", "created_at")
    list_filter = ("action", "whole_word")
    search_fields = ("phrase",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
