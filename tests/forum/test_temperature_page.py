"""The temperature page: staff only, each period against the one before, response times
and targets, charts with their tables, a bounded number of queries, and the sparklines
on the staff front page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import BoardHour
from forum.selectors.temperature import temperature, temperature_boards
from forum.services import post_create, thread_create
from forum.services.temperature import hour_floor
from moderation.services.temperature import temperature_refresh
from tests.conftest import PASSWORD

URL = reverse("forum:staff-temperature")


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def activity(clock, boards, member, other_member, staff):
    """Two questions this day and one the day before, with first staff replies after 30
    minutes, 2 hours and 10 minutes; the hour rows rebuilt as the hourly task would."""
    help_board = boards["help"]
    now = hour_floor(clock.now) + timedelta(minutes=30)
    help_board.first_reply_target = timedelta(hours=1)
    help_board.save(update_fields=["first_reply_target"])
    plan = [(30, 10), (10, 30), (5, 120)]  # hours before now, staff wait in minutes
    for hours_ago, wait in plan:
        clock.set(now - timedelta(hours=hours_ago))
        question = thread_create(board=help_board, author=member, title="Sync", body="Help")
        post_create(thread=question, author=other_member, body="Same")
        clock.advance(minutes=wait)
        post_create(thread=question, author=staff, body="Try this")
    clock.set(now)
    thread_create(board=help_board, author=member, title="Still waiting", body="Anyone?")
    temperature_refresh(now=now, hours=48)
    return now


def test_a_period_is_compared_with_the_one_before(activity, boards):
    temp = temperature(period="24h", board=None, boards=temperature_boards())
    assert (temp.current.threads, temp.previous.threads) == (3, 1)
    assert (temp.current.posts, temp.previous.posts) == (7, 3)
    # This day's first replies: 30 min and 2 h; the median is between, the p90 the slower.
    assert temp.current.median_wait == timedelta(minutes=75)
    assert temp.current.p90_wait == timedelta(hours=2)
    assert temp.previous.median_wait == timedelta(minutes=10)
    # Target one hour: one of two this day, the one the day before.
    assert temp.current.share_within_target == 0.5
    assert temp.previous.share_within_target == 1.0
    assert temp.unanswered["total"] == 1
    assert temp.unanswered["under_1h"] == 1


def test_thirty_days_are_summed_by_day_and_agree_with_the_hours(activity, boards):
    temp = temperature(period="30d", board=None, boards=temperature_boards())
    assert temp.start.hour == 0 and temp.end - temp.start == timedelta(days=30)
    assert (temp.current.threads, temp.current.posts, temp.previous.posts) == (4, 10, 0)
    assert sum(now for _, now, _ in temp.series) == 10
    assert sorted(temp.current.waits) == [600, 1800, 7200]
    assert temp.current.share_within_target == 2 / 3
    help_row = next(row for row in temp.by_board if row[0] == boards["help"])
    assert help_row[1:] == (10, 0)


def test_a_board_without_a_target_is_not_counted_for_targets(activity, boards):
    help_board = boards["help"]
    help_board.first_reply_target = None
    help_board.save(update_fields=["first_reply_target"])
    temp = temperature(period="24h", board=help_board, boards=temperature_boards())
    assert temp.current.share_within_target is None
    assert temp.current.questions == 3


def test_visitors_sign_in_and_members_are_refused(client, member, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    _login(client, member)
    assert client.get(URL).status_code == 403


def test_staff_see_the_figures_with_each_chart_backed_by_a_table(client, staff, activity):
    _login(client, staff)
    response = client.get(URL, {"period": "24h"})
    assert response.status_code == 200
    html = response.content.decode()
    for chart in ("posts-chart", "boards-chart", "ages-chart"):
        assert f'aria-describedby="{chart}-table"' in html
        assert f'id="{chart}-table"' in html
        assert f'<title id="{chart}-title">' in html
    assert 'role="img"' in html
    figures = response.context["figures"]
    posts = next(row for row in figures if row["key"] == "posts")
    assert (posts["now"], posts["before"], posts["change"]) == ("7", "3", "+133%")
    assert "Sync" in html  # a hottest thread


def test_an_unknown_board_is_not_found(client, staff, boards):
    _login(client, staff)
    assert client.get(URL, {"board": "nope"}).status_code == 404


def _page_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_reads_a_fixed_number_of_queries(client, staff, activity, boards, member, clock):
    _login(client, staff)
    site = _page_queries(client, period="30d")
    board = _page_queries(client, period="7d", board="help")
    # More activity and more hour rows cost no more queries.
    for n in range(6):
        clock.advance(hours=3)
        thread_create(board=boards["bugs"], author=member, title=f"Bug {n}", body="Broken")
    temperature_refresh(now=clock.now, hours=24)
    assert BoardHour.objects.count() > 6
    assert _page_queries(client, period="30d") == site
    assert _page_queries(client, period="7d", board="help") == board
    # The user; the boards, the sums of the hour rows, their first staff replies, the
    # ranking, the open alerts, the waiting questions; and what every page asks (unread
    # count, a block, the notices).
    assert site == board == 10


def test_looking_back_reads_the_hours_before_a_day(client, staff, activity):
    _login(client, staff)
    day = (activity - timedelta(days=1)).strftime("%Y-%m-%d")
    response = client.get(URL, {"period": "24h", "until": day})
    assert response.status_code == 200
    assert response.context["temp"].unanswered is None


def test_the_unanswered_queue_shows_a_sparkline_per_active_board(client, staff, activity):
    _login(client, staff)
    html = client.get(reverse("forum:staff-unanswered")).content.decode()
    assert 'class="sparklines"' in html
    assert "Help: 10 posts in the last 7 days" in html
    assert f'href="{URL}?board=help"' in html


@pytest.mark.parametrize("until", ["9999-12-31", "0001-01-01", "2026-02-30", "yesterday"])
def test_a_strange_look_back_date_is_read_as_now_or_the_day(client, staff, boards, until):
    _login(client, staff)
    response = client.get(URL, {"until": until})
    assert response.status_code == 200


def test_the_hottest_threads_show_their_reply_velocity(client, staff, activity):
    _login(client, staff)
    response = client.get(URL, {"period": "7d"})
    hot = response.context["temp"].hot_threads[0]
    assert hot.replies_per_day == hot.replies * 24 / (7 * 24)
    assert "Replies a day" in response.content.decode()
