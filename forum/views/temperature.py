"""The temperature page (staff): how busy each board is, how fast staff answer, what
moderators had to do, and the hottest threads, over 24 hours, 7 or 30 days against the
period before. Read from the hourly figures (forum.selectors.temperature)."""

from datetime import UTC, datetime, timedelta

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.utils import dateformat, timezone
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from forum.charts import bar_chart, sparkline
from forum.permissions import check_view_temperature
from forum.selectors import temperature as selectors

PERIOD_LABELS = {
    "24h": _("Last 24 hours"),
    "7d": _("Last 7 days"),
    "30d": _("Last 30 days"),
}
EARLIEST_LOOK_BACK = datetime(2000, 1, 1, tzinfo=UTC)
AGE_LABELS = {
    "under_1h": _("Under an hour"),
    "under_4h": _("1 to 4 hours"),
    "under_24h": _("4 to 24 hours"),
    "under_3d": _("1 to 3 days"),
    "older": _("Over 3 days"),
}


def format_wait(wait: timedelta | None) -> str:
    """'2 hours, 5 minutes'; a dash when there is nothing to measure."""
    if wait is None:
        return "—"
    if wait < timedelta(minutes=1):
        return gettext("under a minute")
    now = timezone.now()
    return timesince(now - wait, now=now, depth=2)


def _percent(value: int) -> str:
    return gettext("%(value)s%%") % {"value": value}


def _share(value: float | None) -> str:
    return "—" if value is None else _percent(round(value * 100))


def _change(now: int, before: int) -> str:
    if now == before:
        return "±0"
    if not before:
        return gettext("new")
    percent = round((now - before) * 100 / before)
    return ("+" if percent > 0 else "") + _percent(percent)


def _figure_rows(current: selectors.Figures, previous: selectors.Figures) -> list[dict]:
    counts = [
        (_("New threads"), "threads"),
        (_("Posts"), "posts"),
        (_("Help questions asked"), "questions"),
        (_("Votes gained"), "votes"),
        (_("“Affected too” gained"), "affected"),
        (_("Flags"), "flags"),
        (_("Moderation actions"), "actions"),
    ]
    rows = [
        {
            "key": key,
            "label": label,
            "now": number_format(getattr(current, key)),
            "before": number_format(getattr(previous, key)),
            "change": _change(getattr(current, key), getattr(previous, key)),
        }
        for label, key in counts
    ]
    for label, key, show in (
        (_("Questions solved (of those asked)"), "share_solved", _share),
        (_("Median time to a first staff reply"), "median_wait", format_wait),
        (_("90% of first staff replies within"), "p90_wait", format_wait),
        (_("First replies within the board’s target"), "share_within_target", _share),
    ):
        rows.append(
            {
                "key": key,
                "label": label,
                "now": show(getattr(current, key)),
                "before": show(getattr(previous, key)),
                "change": "",
            }
        )
    return rows


def _bucket_label(start: datetime, hours: int) -> str:
    local = timezone.localtime(start)
    if hours <= 24:
        return dateformat.format(local, "H:i")
    if hours <= 7 * 24:
        return dateformat.format(local, "D H:i")
    return dateformat.format(local, "j M")


def _until(raw: str | None) -> datetime | None:
    """``?until=2026-05-31``: the period ends with that day (UTC). Anything else, a day
    before 2000 or from today on: now."""
    if not raw:
        return None
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None
    if not EARLIEST_LOOK_BACK <= day < timezone.now() - timedelta(days=1):
        return None  # today or later is now; 9999-12-31 has no next day, 0001 no period before
    return day + timedelta(hours=23)


@require_GET
def staff_temperature(request):
    """Staff only: visitors are sent to sign in, members get the 403 page's reason."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check_view_temperature(request.user)
    period = request.GET.get("period")
    period = period if period in selectors.PERIODS else selectors.DEFAULT_PERIOD
    boards = selectors.temperature_boards()
    board = None
    if slug := request.GET.get("board"):
        board = next((b for b in boards if b.slug == slug), None)
        if board is None:
            raise Http404
    until = _until(request.GET.get("until"))
    temp = selectors.temperature(period=period, board=board, boards=boards, end=until)
    series_rows = [
        {"label": _bucket_label(at, temp.hours), "now": now, "before": before}
        for at, now, before in temp.series
    ]
    series_chart = bar_chart(
        [row["now"] for row in series_rows],
        [row["before"] for row in series_rows],
        labels=[row["label"] for row in series_rows],
        label_every=max(len(series_rows) // 6, 1),
    )
    board_chart = (
        bar_chart(
            [now for _, now, _ in temp.by_board],
            [before for *_, before in temp.by_board],
            labels=[Truncator(b.name).chars(14) for b, *_ in temp.by_board],
        )
        if temp.by_board
        else None
    )
    ages = []
    if temp.unanswered is not None:
        ages = [
            {"label": label, "count": temp.unanswered[key]} for key, label in AGE_LABELS.items()
        ]
    return render(
        request,
        "forum/staff_temperature.html",
        {
            "temp": temp,
            "periods": list(PERIOD_LABELS.items()),
            "period_label": PERIOD_LABELS[period],
            "until": until.strftime("%Y-%m-%d") if until else "",
            "figures": _figure_rows(temp.current, temp.previous),
            "series_chart": series_chart,
            "series_rows": series_rows,
            "board_chart": board_chart,
            "ages": ages,
            "ages_chart": bar_chart(
                [age["count"] for age in ages], labels=[str(age["label"]) for age in ages]
            )
            if ages
            else None,
            "oldest_wait": format_wait(temp.unanswered["oldest_age"]) if temp.unanswered else "",
        },
    )


def board_sparklines() -> list[dict]:
    """Each board's posts over the last seven days as a sparkline, for staff pages."""
    return [
        {"board": board, "points": sparkline(line), "total": sum(line)}
        for board, line in selectors.board_sparklines()
    ]
