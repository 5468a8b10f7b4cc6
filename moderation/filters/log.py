"""The moderation log's filters (django-filter)."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forum.dates import validate_site_date
from moderation import selectors
from moderation.models import ModerationAction
from moderation.rules import current_rules


def _actors(request):
    return selectors.action_actors()


def _rule_choices():
    return [(code, f"{code} — {rule.title}") for code, rule in current_rules().items()]


def _start_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class ActionLogFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", gettext("“To” must be on or after “From”."))
        return cleaned


class ActionLogFilter(django_filters.FilterSet):
    """The log's filters. Each narrows the list; together they combine (AND)."""

    actor = django_filters.ModelChoiceFilter(
        label=_("Moderator"), queryset=_actors, empty_label=_("Any moderator")
    )
    member = django_filters.CharFilter(
        label=_("Member"),
        field_name="member__username",
        lookup_expr="iexact",
        widget=forms.TextInput(attrs={"placeholder": _("username"), "autocomplete": "off"}),
    )
    rule = django_filters.ChoiceFilter(
        label=_("Rule"), choices=_rule_choices, method="filter_rule", empty_label=_("Any rule")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Action"), choices=ModerationAction.Kind.choices, empty_label=_("Any action")
    )
    date_from = django_filters.DateFilter(
        label=_("From"),
        method="filter_date_from",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2026-03-31.")},
        validators=[validate_site_date],
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        method="filter_date_to",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2026-03-31.")},
        validators=[validate_site_date],
    )
    # One row, for "reverses #N" links that must find their row on any page.
    action = django_filters.NumberFilter(field_name="pk", widget=forms.HiddenInput)

    class Meta:
        model = ModerationAction
        fields: list[str] = []
        form = ActionLogFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read the rules once per request, not once to validate and again to render.
        self.filters["rule"].extra["choices"] = _rule_choices()

    def filter_rule(self, queryset, name, value):
        return queryset.filter(rule_codes__contains=f",{value},")

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of_day(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(created_at__lt=_start_of_day(value + timedelta(days=1)))
