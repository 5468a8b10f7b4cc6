"""The review queue's filters (django-filter).

Open items (open and escalated) are the default; decided items leave that list but stay
findable behind "Show decided items", newest decision first."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from moderation import selectors
from moderation.models import ReviewItem

Status = ReviewItem.Status


class ReviewItemFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ReviewItem.Kind.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(Status.OPEN, _("Open")), (Status.ESCALATED, _("Escalated to admins"))],
        empty_label=_("Any"),
        method="filter_status",
    )
    held = django_filters.ChoiceFilter(
        label=_("Held by"),
        choices=[
            ("me", _("Claimed by me")),
            ("unclaimed", _("Unclaimed")),
            ("others", _("Someone else")),
        ],
        empty_label=_("Anyone"),
        method="filter_held",
    )
    board = django_filters.ModelChoiceFilter(
        label=_("Board"),
        field_name="post__thread__board",
        to_field_name="slug",
        queryset=selectors.boards_for_filter(),
        empty_label=_("All"),
    )
    decided = django_filters.BooleanFilter(
        label=_("Show decided items instead"),
        widget=forms.CheckboxInput,
        method="filter_decided",
    )

    class Meta:
        model = ReviewItem
        fields = ["kind", "status", "held", "board", "decided"]

    def shows_decided(self) -> bool:
        if not self.is_bound:
            return False
        self.form.errors  # noqa: B018 - validates the form once, so cleaned_data exists
        return bool(self.form.cleaned_data.get("decided"))

    def filter_queryset(self, queryset):
        # The open/decided split is applied here rather than by the ``decided`` filter, so
        # it holds even when another field is invalid and skipped: decided items never
        # slip into the open list.
        if self.shows_decided():
            queryset = queryset.filter(status=Status.DECIDED).order_by("-decided_at", "-pk")
        else:
            queryset = queryset.exclude(status=Status.DECIDED).order_by("created_at", "pk")
        return super().filter_queryset(queryset)

    def filter_decided(self, queryset, name, value):
        return queryset  # see filter_queryset

    def filter_status(self, queryset, name, value):
        if self.shows_decided():
            return queryset
        return queryset.filter(status=value)

    def filter_held(self, queryset, name, value):
        user = self.request.user
        if value == "me":
            return queryset.filter(claimed_by=user)
        if value == "unclaimed":
            return queryset.filter(claimed_by__isnull=True)
        return queryset.filter(claimed_by__isnull=False).exclude(claimed_by=user)
