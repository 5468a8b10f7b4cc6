"""The board page's filters and sort (django-filter).

One FilterSet for every board; it keeps only the controls that fit the board's kind
(statuses for Bugs and Ideas, the Help state for Help, votes for Ideas, "affected" for
Bugs). Filters combine (AND) and live in the URL's query, so a filtered list can be
bookmarked and shared. Pinned threads stay on top whatever the sort.

The selector (``forum.selectors.thread_page_for_board``) owns the base queryset and asks
this FilterSet to narrow it (``filter_queryset``) and order it (``ordering``)."""

from datetime import datetime, time, timedelta
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from forum.dates import validate_site_date
from forum.models import Board, Thread
from forum.selectors import staff_reply_q

NO_STATUS = "none"

SORTS = {
    "latest": ("Latest activity", ["-last_activity_at"]),
    "newest": ("Newest first", ["-created_at"]),
    "votes": ("Most votes", ["-vote_count", "-last_activity_at"]),
    "affected": ("Most affected", ["-affected_count", "-last_activity_at"]),
    # The replies readers see: hidden ones (spam) do not lift a thread.
    "replies": (
        "Most replies",
        [(F("reply_count") - F("hidden_reply_count")).desc(), "-last_activity_at"],
    ),
}
DEFAULT_SORT = "latest"

# Which sorts and filters each kind of board offers.
_SORTS_FOR_KIND = {
    Board.Kind.BUGS: ["latest", "newest", "affected", "replies"],
    Board.Kind.IDEAS: ["latest", "newest", "votes", "replies"],
}
_DEFAULT_SORTS = ["latest", "newest", "replies"]

HELP_STATES = [
    ("unsolved", _("Not solved yet")),
    ("solved", _("Solved")),
    (Thread.HelpState.AWAITING_STAFF.value, _("Awaiting staff")),
    (Thread.HelpState.AWAITING_ASKER.value, _("Awaiting the asker")),
]


def _start_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _invalid_choice(what: str) -> dict:
    return {"invalid_choice": f"“%(value)s” is not {what} on this board; choose one from the list."}


def _status_choices(board: Board) -> list[tuple[str, str]]:
    if board.kind == Board.Kind.BUGS:
        return [(s.value, s.label) for s in Thread.BUG_STATUSES]
    if board.kind == Board.Kind.IDEAS:
        return [(NO_STATUS, _("Not reviewed yet"))] + [
            (s.value, s.label) for s in Thread.IDEA_STATUSES
        ]
    return []


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ThreadFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("created_after"), cleaned.get("created_before")
        if start and end and start >= end:
            self.add_error(
                "created_before", _("“Started before” must be later than “Started from”.")
            )
        return cleaned


class ThreadFilter(django_filters.FilterSet):
    """Filters for one board's thread list. Construct with ``board=``."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        empty_label=_("Any status"),
        choices=[],
        method="filter_status",
        error_messages=_invalid_choice("a status"),
    )
    state = django_filters.ChoiceFilter(
        label=_("Help state"),
        empty_label=_("Any"),
        choices=HELP_STATES,
        method="filter_state",
        error_messages=_invalid_choice("a help state"),
    )
    staff_reply = django_filters.ChoiceFilter(
        label=_("Staff reply"),
        empty_label=_("Any"),
        choices=[("yes", _("Staff replied")), ("no", _("No staff reply yet"))],
        method="filter_staff_reply",
        error_messages=_invalid_choice("a staff-reply choice"),
    )
    at_least = WholeNumberFilter(
        label=_("At least"),
        method="filter_at_least",
        min_value=0,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        error_messages={
            "invalid": _("Enter a whole number, like 5."),
            "min_value": _("Enter 0 or more."),
            "max_value": _("Enter a smaller number."),
        },
    )
    active = django_filters.ChoiceFilter(
        label=_("Active"),
        empty_label=_("Any time"),
        choices=[("7", _("In the last 7 days")), ("30", _("In the last 30 days"))],
        method="filter_active",
        error_messages=_invalid_choice("a time span"),
    )
    created_after = django_filters.DateFilter(
        label=_("Started from"),
        method="filter_created_after",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2026-03-31.")},
        validators=[validate_site_date],
    )
    created_before = django_filters.DateFilter(
        label=_("Started before"),
        method="filter_created_before",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2026-03-31.")},
        validators=[validate_site_date],
    )
    author = django_filters.CharFilter(
        label=_("Started by"),
        method="filter_author",
        max_length=150,
        widget=forms.TextInput(attrs={"placeholder": "username", "autocomplete": "off"}),
        error_messages={"max_length": _("Usernames are at most %(limit_value)d characters.")},
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        empty_label=None,
        choices=[],
        method="filter_sort",
        error_messages=_invalid_choice("a way to sort"),
    )

    class Meta:
        model = Thread
        fields: list[str] = []
        form = ThreadFilterForm

    def __init__(self, data=None, *args, board: Board, **kwargs):
        kwargs.setdefault("queryset", Thread.objects.filter(board=board))
        super().__init__(data, *args, **kwargs)
        self.board = board
        kind = board.kind
        status_choices = _status_choices(board)
        if status_choices:
            self.filters["status"].extra["choices"] = status_choices
        else:
            del self.filters["status"]
        if kind != Board.Kind.HELP:
            del self.filters["state"]
        if kind == Board.Kind.IDEAS:
            self.filters["at_least"].label = "Min. votes"
        elif kind == Board.Kind.BUGS:
            self.filters["at_least"].label = "Min. affected"
        else:
            del self.filters["at_least"]
        sorts = _SORTS_FOR_KIND.get(kind, _DEFAULT_SORTS)
        self.filters["sort"].extra["choices"] = [(key, SORTS[key][0]) for key in sorts]
        # The form's field order follows the filters' order, controls first, sort last.

    # --- What the page needs ---------------------------------------------------------

    @property
    def usable(self) -> bool:
        """False when a value in the query makes no sense (its error is on the form)."""
        return not self.is_bound or self.is_valid()

    def _cleaned(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return self.form.cleaned_data

    def sort_key(self) -> str:
        return self._cleaned().get("sort") or DEFAULT_SORT

    def sort_label(self) -> str:
        return SORTS[self.sort_key()][0]

    def ordering(self) -> list:
        """Pinned threads first, then the chosen sort, then newest id (stable pages)."""
        return ["-is_pinned", *SORTS[self.sort_key()][1], "-pk"]

    def is_filtering(self) -> bool:
        """True when any filter narrows the list (a sort alone does not)."""
        return any(
            value not in (None, "") for name, value in self._cleaned().items() if name != "sort"
        )

    def active_filters(self) -> list[dict]:
        """The filters in force as the page states them — "Status: Confirmed" — each with
        the query that removes it alone (the others are kept)."""
        if not self.is_bound:
            return []
        data = self.form.data
        cleaned = self._cleaned()
        shown = []
        for name, field in self.form.fields.items():
            raw = data.get(name, "")
            if name == "sort" and raw in ("", DEFAULT_SORT):
                continue
            if raw in ("", None) or cleaned.get(name) in ("", None):
                continue
            value = cleaned[name]
            if isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value)
            elif isinstance(field, forms.DateField):
                value = date_format(value, "j M Y")
            elif isinstance(value, int):
                value = f"{value:,}"
            rest = {key: data.getlist(key) for key in data if key not in (name, "page")}
            shown.append(
                {
                    "name": name,
                    "label": field.label,
                    "value": value,
                    "remove_query": "?" + urlencode(rest, doseq=True) if rest else "?",
                }
            )
        return shown

    # --- Filter methods ----------------------------------------------------------------

    def filter_status(self, queryset, name, value):
        if value == NO_STATUS:
            return queryset.filter(status="")
        return queryset.filter(status=value)

    def filter_state(self, queryset, name, value):
        if value == "unsolved":
            return queryset.exclude(help_state=Thread.HelpState.SOLVED)
        return queryset.filter(help_state=value)

    def filter_staff_reply(self, queryset, name, value):
        condition = staff_reply_q(self.board)
        return queryset.filter(condition if value == "yes" else ~condition)

    def filter_at_least(self, queryset, name, value):
        counter = "vote_count" if self.board.kind == Board.Kind.IDEAS else "affected_count"
        return queryset.filter(**{f"{counter}__gte": value})

    def filter_active(self, queryset, name, value):
        since = timezone.now() - timedelta(days=int(value))
        return queryset.filter(last_activity_at__gte=since)

    def filter_created_after(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of_day(value))

    def filter_created_before(self, queryset, name, value):
        return queryset.filter(created_at__lt=_start_of_day(value))

    def filter_author(self, queryset, name, value):
        username = value.strip().lstrip("@")
        if not username:
            return queryset
        return queryset.filter(Q(author__username__iexact=username))

    def filter_sort(self, queryset, name, value):
        return queryset  # the selector orders by self.ordering()


class UnansweredFilter(django_filters.FilterSet):
    """The unanswered queue's filter: who looks after a question — oneself, nobody yet,
    or a named colleague. Construct with ``user=`` (the reader) and ``team=`` (the
    assignable team, ``forum.selectors.assignment.assignable_users``)."""

    MINE = "mine"
    NOBODY = "none"

    assignee = django_filters.ChoiceFilter(
        label=_("Assigned to"),
        empty_label=_("Anyone or nobody"),
        choices=[],
        method="filter_assignee",
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not someone on the staff team; choose one from the list."
            )
        },
    )

    class Meta:
        model = Thread
        fields: list[str] = []

    def __init__(self, data=None, *args, user, team, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.filters["assignee"].extra["choices"] = [
            (self.MINE, _("Me")),
            (self.NOBODY, _("Nobody (unassigned)")),
        ] + [(str(member.pk), member.public_name) for member in team if member.pk != user.pk]

    def filter_assignee(self, queryset, name, value):
        if value == self.NOBODY:
            return queryset.filter(assignee__isnull=True)
        if value == self.MINE:
            return queryset.filter(assignee=self.user)
        return queryset.filter(assignee_id=int(value))
